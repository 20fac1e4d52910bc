import { FakeAnthropicUpstream } from '../fake-anthropic';
import { FakeResponsesUpstream } from '../fake-responses';
import { FakeOpenAIUpstream } from '../fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../gateway-harness';

export const CHAT_MODEL = 'llama-3.3-70b';
export const CLAUDE = 'claude-sonnet-4-5-20250929';
export const RESPONSES_MODEL = 'gpt-4o-mini';
export const API_KEY = TEST_MASTER_KEY;
export const WEATHER_ARGS = { location: 'Paris', unit: 'celsius' };

/** One upstream as a client suite scripts it: the next answer is text, or a call of the first tool. */
export interface ScriptedRoute {
  /** `same` when the client's dialect is the upstream's, `translated` otherwise. */
  readonly name: string;
  readonly model: string;
  text(content: string): void;
  toolCall(): void;
  /** Two calls of the first tool in one answer, when the fake can say it (Anthropic's can). */
  readonly parallelToolCalls?: () => void;
  /** Bodies of the generation requests the upstream received, oldest first. */
  bodies(): any[];
}

/**
 * The gateway in front of three fakes, as the client suites use it: `groq/…` is an OpenAI-dialect
 * chat upstream, `anthropic/…` the Anthropic one, `openai/…` a native Responses API.
 */
export class ClientWorld {
  private constructor(
    readonly gateway: TestGateway,
    readonly chat: FakeOpenAIUpstream,
    readonly anthropic: FakeAnthropicUpstream,
    readonly responses: FakeResponsesUpstream,
  ) {}

  static async start(): Promise<ClientWorld> {
    const chat = await FakeOpenAIUpstream.start({ apiKey: 'gk', models: [CHAT_MODEL, 'text-embedding-3-small'] });
    const anthropic = await FakeAnthropicUpstream.start({ apiKey: 'ak' });
    const responses = await FakeResponsesUpstream.start('ok');
    const gateway = await startTestGateway({
      GROQ_API_KEY: 'gk',
      GROQ_BASE_URL: chat.baseUrl,
      ANTHROPIC_API_KEY: 'ak',
      ANTHROPIC_BASE_URL: anthropic.url,
      OPENAI_API_KEY: 'ok',
      OPENAI_BASE_URL: responses.baseUrl,
      OPENAI_MODELS: RESPONSES_MODEL,
      UPSTREAM_MAX_RETRIES: '0',
    });
    return new ClientWorld(gateway, chat, anthropic, responses);
  }

  get openaiBaseURL(): string {
    return `${this.gateway.url}/v1`;
  }

  reset(): void {
    this.chat.reset();
    this.anthropic.reset();
    this.responses.reset();
  }

  async close(): Promise<void> {
    await this.gateway?.close();
    await Promise.all([this.chat?.close(), this.anthropic?.close(), this.responses?.close()]);
  }

  /** The OpenAI-dialect chat upstream. */
  readonly chatRoute: ScriptedRoute = {
    name: 'same dialect',
    model: `groq/${CHAT_MODEL}`,
    text: (content) => this.chat.enqueue({ kind: 'ok', content }),
    toolCall: () => this.chat.enqueue({ kind: 'ok', toolCalls: true }),
    bodies: () => this.chat.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => request.body),
  };

  /** The Anthropic upstream. */
  readonly anthropicRoute: ScriptedRoute = {
    name: 'anthropic upstream',
    model: `anthropic/${CLAUDE}`,
    text: (content) => this.anthropic.enqueue({ kind: 'ok', content }),
    toolCall: () => this.anthropic.enqueue({ kind: 'ok', content: [{ type: 'tool_use', name: 'get_weather', input: WEATHER_ARGS }] }),
    parallelToolCalls: () =>
      this.anthropic.enqueue({
        kind: 'ok',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', name: 'get_weather', input: WEATHER_ARGS },
          { type: 'tool_use', name: 'get_weather', input: { location: 'Lyon', unit: 'celsius' } },
        ],
      }),
    bodies: () => this.anthropic.messageRequests.map((request) => request.body),
  };

  /** Routes for a client speaking OpenAI's dialect: same dialect, then translated to Anthropic. */
  openaiRoutes(): ScriptedRoute[] {
    return [this.chatRoute, { ...this.anthropicRoute, name: 'translated to Anthropic' }];
  }

  /** Routes for a client speaking Anthropic's dialect: same dialect, then translated to OpenAI chat. */
  anthropicRoutes(): ScriptedRoute[] {
    return [
      { ...this.anthropicRoute, name: 'same dialect' },
      { ...this.chatRoute, name: 'translated to OpenAI chat' },
    ];
  }
}
