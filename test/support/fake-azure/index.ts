export { FakeAzureOpenAI } from './fake-azure-openai';
