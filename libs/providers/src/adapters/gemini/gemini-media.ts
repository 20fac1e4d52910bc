import { GatewayError } from '@app/core';
import type { GeminiPart } from './gemini-types';

/** Mime types Gemini accepts for images, audio and documents, by file extension. */
const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  wav: 'audio/wav',
  mp3: 'audio/mp3',
  mp4: 'video/mp4',
};

const AUDIO_MIME: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mp3' };
const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[^,;]*)*;base64,(.*)$/s;

/**
 * Translates one OpenAI content part (text, image_url, input_audio, file) to a Gemini part.
 * `param` is the part's path, e.g. `messages[1].content[0]`, used in 400s.
 */
export function contentPartToGemini(part: unknown, param: string): GeminiPart {
  const record = (part ?? {}) as Record<string, any>;
  switch (record.type) {
    case 'text':
      if (typeof record.text !== 'string') throw GatewayError.invalidRequest(`'${param}.text' must be a string.`, `${param}.text`);
      return { text: record.text };
    case 'image_url':
      return urlPart(typeof record.image_url === 'string' ? record.image_url : record.image_url?.url, `${param}.image_url.url`);
    case 'input_audio':
      return audioPart(record.input_audio, `${param}.input_audio`);
    case 'file':
      return filePart(record.file, `${param}.file`);
    default:
      throw GatewayError.invalidRequest(`Content part type '${String(record.type)}' cannot be sent to Gemini.`, `${param}.type`);
  }
}

function urlPart(url: unknown, param: string): GeminiPart {
  if (typeof url !== 'string' || url === '') throw GatewayError.invalidRequest(`'${param}' must be a non-empty string.`, param);
  if (url.startsWith('data:')) return dataUrlPart(url, param);
  if (!/^https?:\/\//i.test(url)) throw GatewayError.invalidRequest(`'${param}' must be an http(s) URL or a base64 data URL.`, param);
  const mimeType = mimeFromUrl(url);
  if (!mimeType) {
    throw GatewayError.invalidRequest(`Gemini needs the media type of '${param}', and it cannot be inferred from the URL; send the file as a base64 data URL instead.`, param);
  }
  return { fileData: { mimeType, fileUri: url } };
}

function dataUrlPart(url: string, param: string): GeminiPart {
  const match = DATA_URL.exec(url);
  if (!match) throw GatewayError.invalidRequest(`'${param}' is not a valid base64 data URL.`, param);
  return { inlineData: { mimeType: match[1].toLowerCase(), data: match[2] } };
}

function audioPart(audio: any, param: string): GeminiPart {
  const mimeType = AUDIO_MIME[String(audio?.format)];
  if (!mimeType) throw GatewayError.invalidRequest(`'${param}.format' must be 'wav' or 'mp3'.`, `${param}.format`);
  if (typeof audio.data !== 'string' || audio.data === '') throw GatewayError.invalidRequest(`'${param}.data' must be base64 audio.`, `${param}.data`);
  return { inlineData: { mimeType, data: audio.data } };
}

function filePart(file: any, param: string): GeminiPart {
  if (typeof file?.file_data === 'string') return dataUrlPart(file.file_data, `${param}.file_data`);
  throw GatewayError.invalidRequest(`Gemini accepts files only inline: '${param}.file_data' must be a base64 data URL (file_id is not supported).`, `${param}.file_data`);
}

function mimeFromUrl(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return extension ? MIME_BY_EXTENSION[extension] : undefined;
}
