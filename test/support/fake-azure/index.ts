export { FakeAzureOpenAI, type FakeAzureOptions } from './fake-azure-openai';
