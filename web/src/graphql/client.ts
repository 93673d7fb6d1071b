// A small typed fetch over the API's GraphQL endpoint. The operations and
// their types are generated from api/schema.graphql (see codegen.ts); this
// file only sends them, so no GraphQL runtime client is needed.
import type { TypedDocumentString } from './generated/graphql.js';

export interface ApiErrorItem {
  message: string;
  code: string;
  field?: string | undefined;
}

/** A refusal or failure the API reported, with its stable machine code. */
export class ApiError extends Error {
  readonly code: string;
  readonly errors: ApiErrorItem[];
  constructor(errors: ApiErrorItem[]) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join('; '));
    this.name = 'ApiError';
    this.errors = errors;
    this.code = errors[0]?.code ?? 'INTERNAL';
  }
}

export interface RequestContext {
  /** The API session token, sent as a bearer token. */
  token?: string | undefined;
  /** The browser's address, passed on so the API's rate limits see the person, not this server. */
  clientIp?: string | undefined;
}

export interface GraphQLClient {
  request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
    ctx: RequestContext,
  ): Promise<TResult>;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

export function createClient(apiUrl: string, fetchImpl: typeof fetch = fetch): GraphQLClient {
  return {
    async request(document, variables, ctx) {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (ctx.token) headers.authorization = `Bearer ${ctx.token}`;
      if (ctx.clientIp) headers['x-forwarded-for'] = ctx.clientIp;
      const res = await fetchImpl(`${apiUrl}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
        signal: AbortSignal.timeout(30_000),
      });
      let body: GraphQLResponse<never>;
      try {
        body = (await res.json()) as GraphQLResponse<never>;
      } catch {
        throw new ApiError([{ code: 'INTERNAL', message: `the API answered ${res.status} without JSON` }]);
      }
      if (body.errors?.length) {
        throw new ApiError(
          body.errors.map((e) => ({
            message: e.message,
            code: e.extensions?.code ?? 'INTERNAL',
            field: e.extensions?.field,
          })),
        );
      }
      if (!body.data) throw new ApiError([{ code: 'INTERNAL', message: 'the API sent no data' }]);
      return body.data;
    },
  };
}
