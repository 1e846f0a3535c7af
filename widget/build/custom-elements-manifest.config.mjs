/**
 * `npm run manifest`: custom-elements.json at the repository root, from the JSDoc of
 * widget/element/passwordless-login.ts (the class block is the public contract).
 *
 * The analyzer's Lit plugin reads `static properties` but not `state: true`: it would list the
 * internal reactive state (`flow`) as a public field and attribute. The plugin below
 * drops them.
 */
const stateNames = new Set();

export default {
  globs: ['widget/element/passwordless-login.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      name: 'drop-lit-state',
      analyzePhase({ ts, node }) {
        if (!ts.isPropertyDeclaration(node) || node.name.getText() !== 'properties') return;
        if (!node.initializer || !ts.isObjectLiteralExpression(node.initializer)) return;
        for (const property of node.initializer.properties) {
          if (/\bstate:\s*true\b/.test(property.getText())) stateNames.add(property.name.getText());
        }
      },
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            declaration.members = declaration.members?.filter((m) => !stateNames.has(m.name));
            declaration.attributes = declaration.attributes?.filter((a) => !stateNames.has(a.fieldName));
          }
        }
      },
    },
  ],
};
