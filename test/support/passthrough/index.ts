export * from './raw-client';
export * from './recording-upstream';
