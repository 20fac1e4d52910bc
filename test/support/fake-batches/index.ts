export * from './fake-anthropic-batches';
export * from './fake-openai-batches';
