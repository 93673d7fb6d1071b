// GraphQL Code Generator: TypeScript types for every operation in
// src/graphql/operations, generated from the API's committed contract.
// `npm run codegen:check` fails when src/graphql/generated is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  // The API's committed contract; FAIRSHARE_SCHEMA points elsewhere while the
  // working copy of the schema is mid-change.
  schema: process.env.FAIRSHARE_SCHEMA ?? '../api/schema.graphql',
  documents: ['src/graphql/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/graphql/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        // Imports end in .js, as Node's ES modules require.
        importExtension: '.js',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Pence: 'number', DateTime: 'string', NaiveDate: 'string' },
        // These are maintained by hand-written operations, not a client cache.
        skipTypename: true,
      },
    },
  },
};

export default config;
