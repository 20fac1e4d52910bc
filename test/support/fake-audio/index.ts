export { FakeOpenAIAudio, SPEECH_SIZE } from './fake-openai-audio';
export { heardText, speechBytes } from './audio-answers';
