import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Libs and apps import each other as `@app/<lib>`, never by a relative path that climbs out of
 * their own folder (architecture.md, Layout): a `../../storage/src/…` import would reach past the
 * lib's index.ts and tie two modules' internals together.
 */
const ROOTS = new Set(['libs', 'apps']);

/** Folders outside libs/ and apps/ a module may import relatively: storage owns the migration set. */
const ALLOWED_TARGETS = { 'libs/storage': ['migrations'] };

/** `libs/<name>` or `apps/<name>` a file belongs to, or undefined outside them (test/, bench/…). */
function moduleOf(file, cwd) {
  const parts = relative(cwd, file).split(sep);
  return ROOTS.has(parts[0]) && parts.length > 2 ? `${parts[0]}/${parts[1]}` : undefined;
}

export const noCrossModuleRelativeImport = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid relative imports from one lib or app into another; use @app/<lib>.' },
    messages: { crossModule: "'{{source}}' reaches from {{from}} into {{to}}: import it as @app/<lib> from the lib's index instead." },
    schema: [],
  },
  create(context) {
    const cwd = context.cwd;
    const from = moduleOf(context.filename, cwd);
    if (!from) return {};
    const isSpec = /\.spec\.ts$/.test(context.filename);
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(context.filename), source);
      const to = moduleOf(target, cwd);
      // Specs may use the shared test fixtures under test/; production code may not reach outside its module.
      const outside = to === undefined ? relative(cwd, target).split(sep)[0] : undefined;
      if (to === from || (outside === 'test' && isSpec) || ALLOWED_TARGETS[from]?.includes(outside)) return;
      context.report({ node: node.source, messageId: 'crossModule', data: { source, from, to: to ?? relative(cwd, target) } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
