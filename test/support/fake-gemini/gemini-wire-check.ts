/**
 * Checks a request body against the field names of Gemini's published v1beta reference. Gemini
 * parses requests as proto JSON and rejects any unknown field, so a translation that sends a
 * misspelled or OpenAI-style field fails here exactly as it would against the real API.
 * Returns the INVALID_ARGUMENT message, or undefined when the body is acceptable.
 */
type Spec = { readonly fields: Record<string, string | null> };

// Field → nested message name (null: scalar, list of scalars, or free-form Struct).
const MESSAGES: Record<string, Spec> = {
  GenerateContentRequest: {
    fields: {
      model: null,
      contents: 'Content',
      tools: 'Tool',
      toolConfig: 'ToolConfig',
      safetySettings: null,
      systemInstruction: 'Content',
      generationConfig: 'GenerationConfig',
      cachedContent: null,
    },
  },
  Content: { fields: { role: null, parts: 'Part' } },
  Part: {
    fields: {
      text: null,
      inlineData: 'Blob',
      functionCall: 'FunctionCall',
      functionResponse: 'FunctionResponse',
      fileData: 'FileData',
      executableCode: null,
      codeExecutionResult: null,
      thought: null,
      thoughtSignature: null,
      videoMetadata: null,
      partMetadata: null,
    },
  },
  Blob: { fields: { mimeType: null, data: null } },
  FileData: { fields: { mimeType: null, fileUri: null } },
  FunctionCall: { fields: { id: null, name: null, args: null } },
  FunctionResponse: { fields: { id: null, name: null, response: null, willContinue: null, scheduling: null, parts: null } },
  Tool: { fields: { functionDeclarations: 'FunctionDeclaration', googleSearchRetrieval: null, codeExecution: null, googleSearch: null, urlContext: null } },
  FunctionDeclaration: {
    fields: { name: null, description: null, behavior: null, parameters: 'Schema', parametersJsonSchema: null, response: 'Schema', responseJsonSchema: null },
  },
  Schema: {
    fields: {
      type: null,
      format: null,
      title: null,
      description: null,
      nullable: null,
      enum: null,
      maxItems: null,
      minItems: null,
      properties: 'SchemaMap',
      required: null,
      minProperties: null,
      maxProperties: null,
      minLength: null,
      maxLength: null,
      pattern: null,
      example: null,
      anyOf: 'Schema',
      propertyOrdering: null,
      default: null,
      items: 'Schema',
      minimum: null,
      maximum: null,
    },
  },
  ToolConfig: { fields: { functionCallingConfig: 'FunctionCallingConfig', retrievalConfig: null } },
  FunctionCallingConfig: { fields: { mode: null, allowedFunctionNames: null } },
  GenerationConfig: {
    fields: {
      stopSequences: null,
      responseMimeType: null,
      responseSchema: 'Schema',
      responseJsonSchema: null,
      responseModalities: null,
      candidateCount: null,
      maxOutputTokens: null,
      temperature: null,
      topP: null,
      topK: null,
      seed: null,
      presencePenalty: null,
      frequencyPenalty: null,
      responseLogprobs: null,
      logprobs: null,
      enableEnhancedCivicAnswers: null,
      speechConfig: null,
      thinkingConfig: 'ThinkingConfig',
      imageConfig: null,
      mediaResolution: null,
    },
  },
  ThinkingConfig: { fields: { includeThoughts: null, thinkingBudget: null, thinkingLevel: null } },
  EmbedContentRequest: { fields: { model: null, content: 'Content', taskType: null, title: null, outputDimensionality: null } },
  BatchEmbedContentsRequest: { fields: { requests: 'EmbedContentRequest' } },
};

const SCHEMA_TYPES = new Set(['TYPE_UNSPECIFIED', 'STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL']);
const CALLING_MODES = new Set(['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED']);
const PART_DATA = ['text', 'inlineData', 'functionCall', 'functionResponse', 'fileData', 'executableCode', 'codeExecutionResult'];

export function checkGeminiBody(body: unknown, message: keyof typeof MESSAGES): string | undefined {
  return check(body, message, '');
}

function check(value: unknown, message: string, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const problem = check(value[index], message, `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (message === 'SchemaMap') return checkMap(value, path);
  if (typeof value !== 'object' || value === null) return `Invalid value at '${path}': expected a ${message} object.`;
  const spec = MESSAGES[message];
  for (const [key, nested] of Object.entries(value)) {
    if (!(key in spec.fields)) return `Invalid JSON payload received. Unknown name "${key}" at '${path || 'request'}': Cannot find field.`;
    const target = spec.fields[key];
    const problem = target ? check(nested, target, path ? `${path}.${key}` : key) : undefined;
    if (problem) return problem;
  }
  return checkValues(value as Record<string, any>, message, path);
}

function checkMap(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return `Invalid value at '${path}': expected a map.`;
  for (const [key, schema] of Object.entries(value)) {
    const problem = check(schema, 'Schema', `${path}[${JSON.stringify(key)}]`);
    if (problem) return problem;
  }
  return undefined;
}

/** The enum and required-field rules the reference states for the messages the adapter writes. */
function checkValues(value: Record<string, any>, message: string, path: string): string | undefined {
  switch (message) {
    case 'Schema':
      if (value.type !== undefined && !SCHEMA_TYPES.has(value.type))
        return `Invalid value at '${path}.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), ${JSON.stringify(value.type)}`;
      if (value.type === 'OBJECT' && value.properties !== undefined && Object.keys(value.properties).length === 0) {
        return `* GenerateContentRequest.${path}.properties: should be non-empty for OBJECT type`;
      }
      return undefined;
    case 'FunctionCallingConfig':
      return CALLING_MODES.has(value.mode)
        ? undefined
        : `Invalid value at '${path}.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), ${JSON.stringify(value.mode)}`;
    case 'Content':
      if (!Array.isArray(value.parts) || value.parts.length === 0) return `* GenerateContentRequest.${path}.parts: contents.parts must not be empty.`;
      if (value.role !== undefined && value.role !== 'user' && value.role !== 'model') return 'Please use a valid role: user, model.';
      return undefined;
    case 'Part':
      return PART_DATA.filter((key) => value[key] !== undefined).length === 1
        ? undefined
        : `* GenerateContentRequest.${path}.data: required oneof field 'data' must have one initialized field`;
    case 'FunctionCall':
    case 'FunctionResponse':
      return typeof value.name === 'string' && value.name !== '' ? undefined : `* GenerateContentRequest.${path}.name: Name cannot be empty.`;
    default:
      return undefined;
  }
}
