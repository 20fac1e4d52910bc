/** What a redacted secret is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Credential-shaped tokens redacted even when they are not configured here (a client's own key, a
 * key of another deployment an upstream echoes): `Bearer <token>`, OpenAI / Anthropic `sk-…`,
 * Google `AIza…`, AWS access key ids.
 */
const GENERIC_PATTERNS = [
  String.raw`(?<=\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}`,
  String.raw`\bsk-[A-Za-z0-9_-]{12,}`,
  String.raw`\bAIza[0-9A-Za-z_-]{30,}`,
  String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`,
];

/**
 * Configured secrets shorter than this are not redacted literally: placeholder keys of local
 * servers (`none`, `EMPTY`, `k`) would otherwise erase ordinary words from every message.
 */
const MIN_SECRET_LENGTH = 8;

/**
 * Replaces credentials in text the gateway relays or logs: every configured secret, literally,
 * and the generic credential shapes above. Build it once; `redact` is one regex pass.
 */
export class SecretRedactor {
  private readonly pattern: RegExp;

  constructor(secrets: Iterable<string | undefined> = []) {
    const literals = [...new Set([...secrets].filter((secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH))]
      // Longest first, so a secret that contains another is replaced whole.
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp);
    this.pattern = new RegExp([...literals, ...GENERIC_PATTERNS].join('|'), 'g');
  }

  redact(text: string): string {
    this.pattern.lastIndex = 0;
    return this.pattern.test(text) ? text.replace(this.pattern, REDACTED) : text;
  }
}

const configured = new Set<string>();
let shared = new SecretRedactor();

/**
 * Adds credentials to the process-wide redactor used by `redactSecrets`. Called once at boot with
 * every configured credential; secrets accumulate (several gateways booted in one test process
 * each add theirs), since redacting one more secret is harmless and forgetting one is not.
 */
export function registerSecrets(secrets: Iterable<string | undefined>): void {
  const before = configured.size;
  for (const secret of secrets) if (secret) configured.add(secret);
  if (configured.size !== before) shared = new SecretRedactor(configured);
}

/**
 * Redacts credentials from upstream text before it reaches a client or a log line: the given
 * secrets when passed, else every secret registered at boot; generic key shapes in both cases.
 */
export function redactSecrets(text: string, secrets?: Iterable<string | undefined>): string {
  return (secrets ? new SecretRedactor(secrets) : shared).redact(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
