import { GatewayError } from '@app/core';

/** Checks the routing fields of an embeddings request; `input` is only checked for presence. */
export function readEmbeddingsModel(body: Record<string, unknown>): string {
  const { model, input } = body;
  if (model === undefined || model === null || model === '') {
    throw GatewayError.invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  }
  if (typeof model !== 'string') throw GatewayError.invalidRequest("'model' must be a string.", 'model', 'invalid_type');
  if (input === undefined || input === null || input === '') {
    throw GatewayError.invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  }
  if (typeof input !== 'string' && !Array.isArray(input)) {
    throw GatewayError.invalidRequest("'input' must be a string or an array.", 'input', 'invalid_type');
  }
  if (Array.isArray(input) && input.length === 0) throw GatewayError.invalidRequest("'input' must not be empty.", 'input', 'empty_array');
  return model;
}
