type Utf8 = typeof import('@smithy/util-utf8');
type Codec = typeof import('@smithy/eventstream-codec');
type Signing = typeof import('@smithy/signature-v4') & typeof import('@smithy/protocol-http') & typeof import('@aws-crypto/sha256-js');

// Required on first use, not imported: the provider registry (and so every gateway) loads the
// Bedrock adapter, but only a gateway with a Bedrock provider needs these AWS SDK packages.
let utf8: Utf8 | undefined;
let codec: Codec | undefined;
let signing: Signing | undefined;

export const awsUtf8 = (): Utf8 => (utf8 ??= require('@smithy/util-utf8') as Utf8);
export const awsEventStreamCodec = (): Codec => (codec ??= require('@smithy/eventstream-codec') as Codec);
export const awsSigning = (): Signing =>
  (signing ??= { ...(require('@smithy/signature-v4') as object), ...(require('@smithy/protocol-http') as object), ...(require('@aws-crypto/sha256-js') as object) } as Signing);
