export { FakeOpenAIAudio, SPEECH_SIZE, type AudioRequest } from './fake-openai-audio';
export { heardText, speechBytes } from './audio-answers';
