import { GatewayError } from '@app/core';
import type { AnthropicBlock } from './anthropic-types';

/**
 * User message content → Anthropic blocks: text, images (base64 data URL or http(s) URL) and PDF
 * files given inline. Audio and file ids have no Anthropic equivalent and are rejected by name.
 */
export function userContentBlocks(content: unknown, path: string): AnthropicBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw GatewayError.invalidRequest(`'${path}' must be a string or an array of content parts.`, path);
  return content.map((part, index) => userPart(part, `${path}[${index}]`));
}

function userPart(part: unknown, path: string): AnthropicBlock {
  const record = (part ?? {}) as Record<string, any>;
  switch (record.type) {
    case 'text':
      if (typeof record.text !== 'string') throw GatewayError.invalidRequest(`'${path}.text' must be a string.`, `${path}.text`);
      return { type: 'text', text: record.text };
    case 'image_url':
      // `detail` is a resolution hint for OpenAI's vision encoder; Anthropic sizes images itself.
      return imageBlock(typeof record.image_url === 'string' ? record.image_url : record.image_url?.url, `${path}.image_url.url`);
    case 'file':
      return documentBlock(record.file, `${path}.file`);
    case 'input_audio':
      throw GatewayError.invalidRequest('Audio input cannot be sent to an Anthropic provider.', path);
    default:
      throw GatewayError.invalidRequest(`Content part type '${String(record.type)}' cannot be sent to an Anthropic provider.`, `${path}.type`);
  }
}

function imageBlock(url: unknown, path: string): AnthropicBlock {
  if (typeof url !== 'string') throw GatewayError.invalidRequest(`'${path}' must be a string.`, path);
  if (url.startsWith('data:')) {
    const { mediaType, data } = parseDataUrl(url, path);
    return { type: 'image', source: { type: 'base64', media_type: mediaType, data } };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw GatewayError.invalidRequest(`'${path}' must be an http(s) URL or a base64 data URL.`, path);
}

function documentBlock(file: unknown, path: string): AnthropicBlock {
  const record = (file ?? {}) as Record<string, unknown>;
  if (typeof record.file_data !== 'string') {
    throw GatewayError.invalidRequest('Only inline files (file_data) can be sent to an Anthropic provider, not file ids.', `${path}.file_data`);
  }
  const { mediaType, data } = parseDataUrl(record.file_data, `${path}.file_data`);
  if (mediaType !== 'application/pdf') {
    throw GatewayError.invalidRequest(`Files of type '${mediaType}' cannot be sent to an Anthropic provider; only PDF documents.`, `${path}.file_data`);
  }
  return { type: 'document', source: { type: 'base64', media_type: mediaType, data } };
}

/** Splits `data:<media type>;base64,<data>` with index lookups: images can be megabytes long. */
function parseDataUrl(url: string, path: string): { mediaType: string; data: string } {
  const comma = url.indexOf(',');
  const header = comma === -1 ? '' : url.slice(5, comma);
  if (!header.endsWith(';base64') || header.length === ';base64'.length) {
    throw GatewayError.invalidRequest(`'${path}' must be a base64 data URL (data:<media type>;base64,…).`, path);
  }
  return { mediaType: header.slice(0, -';base64'.length), data: url.slice(comma + 1) };
}
