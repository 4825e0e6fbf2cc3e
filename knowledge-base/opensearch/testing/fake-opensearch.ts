import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A JSON value as parsed from a request body. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One request the fake received, for assertions on headers and parameters. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

interface StoredDocument {
  id: string;
  source: JsonObject;
  seqNo: number;
  version: number;
}

interface FakeIndex {
  settings: JsonObject;
  mappings: JsonObject;
  documents: Map<string, StoredDocument>;
}

/** A running fake. */
export interface FakeOpenSearch {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  /** The stored indices, for assertions. */
  indices: ReadonlyMap<string, { settings: JsonObject; mappings: JsonObject; documentCount: number }>;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
    readonly index?: string,
  ) {
    super(reason);
  }

  body(): JsonObject {
    const cause: JsonObject = { type: this.type, reason: this.message };
    if (this.index !== undefined) {
      cause.index = this.index;
      cause.index_uuid = '_na_';
    }
    return { error: { root_cause: [cause], ...cause }, status: this.status };
  }
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The single `{ field: spec }` entry of a leaf query. */
function fieldEntry(clause: Json | undefined, kind: string): [string, Json] {
  if (!isObject(clause)) throw new HttpError(400, 'parsing_exception', `[${kind}] malformed query`);
  const entries = Object.entries(clause);
  if (entries.length !== 1) {
    throw new HttpError(400, 'parsing_exception', `[${kind}] query doesn't support multiple fields`);
  }
  return entries[0] as [string, Json];
}

/** Tokens as the standard analyzer produces them: lower-cased runs of letters and digits. */
function analyze(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function fieldValues(source: JsonObject, field: string): Json[] {
  return asArray(source[field]);
}

const SHARDS = { total: 1, successful: 1, skipped: 0, failed: 0 };

/** Query evaluation over one index; k-NN candidate sets and BM25 statistics are computed once per search. */
class Searcher {
  private readonly knnCache = new Map<JsonObject, Map<string, number>>();
  private readonly documents: StoredDocument[];

  constructor(private readonly index: FakeIndex) {
    this.documents = [...index.documents.values()];
  }

  /** The score of a matching document, or null when it does not match. */
  score(document: StoredDocument, query: Json | undefined): number | null {
    if (query === undefined) return 1;
    if (!isObject(query)) throw new HttpError(400, 'parsing_exception', 'query malformed');
    const entries = Object.entries(query);
    if (entries.length !== 1) {
      throw new HttpError(400, 'parsing_exception', 'query malformed, must start with a single query name');
    }
    const [kind, clause] = entries[0] as [string, Json];
    switch (kind) {
      case 'match_all':
        return 1;
      case 'match_none':
        return null;
      case 'bool':
        return this.bool(document, clause);
      case 'term': {
        const [field, spec] = fieldEntry(clause, kind);
        const value = isObject(spec) ? spec.value : spec;
        return fieldValues(document.source, field).some((stored) => stored === value) ? 1 : null;
      }
      case 'terms': {
        const [field, values] = fieldEntry(clause, kind);
        if (!Array.isArray(values)) throw new HttpError(400, 'parsing_exception', '[terms] needs an array');
        return fieldValues(document.source, field).some((stored) => values.includes(stored)) ? 1 : null;
      }
      case 'ids': {
        const values = isObject(clause) ? asArray(clause.values) : [];
        return values.includes(document.id) ? 1 : null;
      }
      case 'match':
        return this.match(document, clause);
      case 'knn':
        return this.knn(clause).get(document.id) ?? null;
      default:
        throw new HttpError(400, 'parsing_exception', `unknown query [${kind}]`);
    }
  }

  private bool(document: StoredDocument, clause: Json): number | null {
    if (!isObject(clause)) throw new HttpError(400, 'parsing_exception', '[bool] malformed query');
    let total = 0;
    for (const filter of asArray(clause.filter)) {
      if (this.score(document, filter) === null) return null;
    }
    for (const excluded of asArray(clause.must_not)) {
      if (this.score(document, excluded) !== null) return null;
    }
    for (const must of asArray(clause.must)) {
      const score = this.score(document, must);
      if (score === null) return null;
      total += score;
    }
    const should = asArray(clause.should);
    let matchedShould = 0;
    for (const option of should) {
      const score = this.score(document, option);
      if (score !== null) {
        matchedShould += 1;
        total += score;
      }
    }
    const required = asArray(clause.must).length + asArray(clause.filter).length > 0 ? 0 : 1;
    if (should.length > 0 && matchedShould < required) return null;
    return total;
  }

  /** BM25 (k1 = 1.2, b = 0.75) over the analysed field, OR of the query terms. */
  private match(document: StoredDocument, clause: Json): number | null {
    const [field, spec] = fieldEntry(clause, 'match');
    const text = isObject(spec) ? spec.query : spec;
    if (typeof text !== 'string') throw new HttpError(400, 'parsing_exception', '[match] needs a query');
    const terms = [...new Set(analyze(text))];
    if (terms.length === 0) return null;
    const tokensOf = (candidate: StoredDocument): string[] => {
      const value = candidate.source[field];
      return typeof value === 'string' ? analyze(value) : [];
    };
    const withField = this.documents.filter((candidate) => typeof candidate.source[field] === 'string');
    const averageLength =
      withField.reduce((sum, candidate) => sum + tokensOf(candidate).length, 0) /
      Math.max(withField.length, 1);
    const tokens = tokensOf(document);
    let score = 0;
    let matched = false;
    for (const term of terms) {
      const frequency = tokens.filter((token) => token === term).length;
      if (frequency === 0) continue;
      matched = true;
      const containing = withField.filter((candidate) => tokensOf(candidate).includes(term)).length;
      const idf = Math.log(1 + (withField.length - containing + 0.5) / (containing + 0.5));
      score +=
        (idf * frequency * 2.2) / (frequency + 1.2 * (1 - 0.75 + (0.75 * tokens.length) / averageLength));
    }
    return matched ? score : null;
  }

  /** The k nearest filtered documents and their scores, as the faiss engine scores them. */
  private knn(clause: Json): Map<string, number> {
    if (!isObject(clause)) throw new HttpError(400, 'parsing_exception', '[knn] malformed query');
    const cached = this.knnCache.get(clause);
    if (cached) return cached;
    const [field, spec] = fieldEntry(clause, 'knn');
    if (!isObject(spec) || !Array.isArray(spec.vector) || typeof spec.k !== 'number') {
      throw new HttpError(400, 'parsing_exception', '[knn] requires vector and k');
    }
    const mapping = (this.index.mappings.properties as JsonObject | undefined)?.[field];
    if (!isObject(mapping) || mapping.type !== 'knn_vector') {
      throw new HttpError(400, 'query_shard_exception', `Field '${field}' is not knn_vector type.`);
    }
    const query = spec.vector.map(Number);
    if (query.length !== mapping.dimension) {
      throw new HttpError(
        400,
        'illegal_argument_exception',
        `Query vector has invalid dimension: ${query.length}. Dimension should be: ${String(mapping.dimension)}`,
      );
    }
    const spaceType = isObject(mapping.method) ? String(mapping.method.space_type ?? 'l2') : 'l2';
    const scored: Array<[string, number]> = [];
    for (const document of this.documents) {
      if (spec.filter !== undefined && this.score(document, spec.filter) === null) continue;
      const stored = document.source[field];
      if (!Array.isArray(stored)) continue;
      const vector = stored.map(Number);
      let dot = 0;
      let squaredDistance = 0;
      let queryNorm = 0;
      let storedNorm = 0;
      vector.forEach((value, position) => {
        const other = query[position] ?? 0;
        dot += value * other;
        squaredDistance += (value - other) ** 2;
        queryNorm += other * other;
        storedNorm += value * value;
      });
      const score =
        spaceType === 'innerproduct'
          ? dot >= 0
            ? dot + 1
            : 1 / (1 - dot)
          : spaceType === 'cosinesimil'
            ? (1 + dot / Math.sqrt(queryNorm * storedNorm || 1)) / 2
            : 1 / (1 + squaredDistance);
      scored.push([document.id, score]);
    }
    scored.sort((left, right) => right[1] - left[1]);
    const result = new Map(scored.slice(0, spec.k));
    this.knnCache.set(clause, result);
    return result;
  }
}

function projectSource(source: JsonObject, filter: Json | undefined): JsonObject | undefined {
  if (filter === false) return undefined;
  if (filter === undefined || filter === true) return source;
  const includes = Array.isArray(filter) ? filter : isObject(filter) ? asArray(filter.includes) : [filter];
  const excludes = isObject(filter) ? asArray(filter.excludes) : [];
  return Object.fromEntries(
    Object.entries(source).filter(
      ([key]) => (includes.length === 0 || includes.includes(key)) && !excludes.includes(key),
    ),
  );
}

function termsAggregation(documents: readonly StoredDocument[], spec: JsonObject): JsonObject {
  const terms = spec.terms;
  if (!isObject(terms) || typeof terms.field !== 'string') {
    throw new HttpError(400, 'parsing_exception', 'only terms aggregations with a field are supported');
  }
  const field = terms.field;
  const size = typeof terms.size === 'number' ? terms.size : 10;
  const groups = new Map<string, StoredDocument[]>();
  for (const document of documents) {
    for (const value of new Set(fieldValues(document.source, field))) {
      if (value === null || typeof value === 'object') continue;
      const key = String(value);
      groups.set(key, [...(groups.get(key) ?? []), document]);
    }
  }
  const ordered = [...groups.entries()].sort(
    ([leftKey, left], [rightKey, right]) => right.length - left.length || leftKey.localeCompare(rightKey),
  );
  const kept = ordered.slice(0, size);
  const buckets = kept.map(([key, members]) => ({
    key,
    doc_count: members.length,
    ...aggregate(members, spec.aggs ?? spec.aggregations),
  }));
  const other = ordered.slice(size).reduce((sum, [, members]) => sum + members.length, 0);
  return { doc_count_error_upper_bound: 0, sum_other_doc_count: other, buckets };
}

function aggregate(documents: readonly StoredDocument[], aggregations: Json | undefined): JsonObject {
  if (!isObject(aggregations)) return {};
  return Object.fromEntries(
    Object.entries(aggregations).map(([name, spec]) => {
      if (!isObject(spec)) throw new HttpError(400, 'parsing_exception', `aggregation [${name}] malformed`);
      return [name, termsAggregation(documents, spec)];
    }),
  );
}

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function parseJson(text: string): JsonObject {
  if (text.trim().length === 0) return {};
  try {
    const parsed = JSON.parse(text) as Json;
    if (!isObject(parsed)) throw new Error('not an object');
    return parsed;
  } catch {
    throw new HttpError(400, 'parse_exception', 'request body is required and must be a JSON object');
  }
}

/** Options of {@link startFakeOpenSearch}. */
export interface FakeOpenSearchOptions {
  /** Port to listen on; 0 (any free port) by default. */
  port?: number;
}

/**
 * Starts a local HTTP server that answers like OpenSearch with the k-NN plugin, for the endpoints
 * the OpenSearch knowledge base uses: `HEAD`/`PUT <index>`, `POST _bulk`, `POST <index>/_search`
 * (bool, term, terms, ids, match, knn and match_all queries; size, from, `_source` filtering and
 * terms aggregations), `POST <index>/_delete_by_query`, `<index>/_count` and `_mget`.
 *
 * Writes are searchable at once, as after `refresh=true`. Scoring is BM25 for `match` and the
 * engine's formulas over an exact scan for `knn`; filters and sizes are honoured exactly. A document
 * whose vector has the wrong dimension is refused per item, as OpenSearch refuses it.
 */
export async function startFakeOpenSearch(options: FakeOpenSearchOptions = {}): Promise<FakeOpenSearch> {
  const indices = new Map<string, FakeIndex>();
  const requests: RecordedRequest[] = [];
  let seqNo = 0;

  function requireIndex(name: string): FakeIndex {
    const index = indices.get(name);
    if (!index) throw new HttpError(404, 'index_not_found_exception', `no such index [${name}]`, name);
    return index;
  }

  function validate(index: FakeIndex, source: JsonObject): void {
    const properties = isObject(index.mappings.properties) ? index.mappings.properties : {};
    for (const [field, mapping] of Object.entries(properties)) {
      if (!isObject(mapping) || mapping.type !== 'knn_vector' || source[field] === undefined) continue;
      const vector = source[field];
      if (!Array.isArray(vector) || vector.length !== mapping.dimension) {
        throw new HttpError(
          400,
          'mapper_parsing_exception',
          `failed to parse field [${field}] of type [knn_vector] in document. Vector dimension mismatch. Expected: ${String(mapping.dimension)}, Given: ${Array.isArray(vector) ? vector.length : 0}`,
        );
      }
    }
  }

  function put(index: FakeIndex, id: string, source: JsonObject): { version: number; created: boolean } {
    validate(index, source);
    const existing = index.documents.get(id);
    const version = (existing?.version ?? 0) + 1;
    seqNo += 1;
    index.documents.set(id, { id, source, seqNo, version });
    return { version, created: existing === undefined };
  }

  function bulk(text: string, defaultIndex: string | undefined): JsonObject {
    const started = Date.now();
    const lines = text.split('\n').filter((line) => line.trim().length > 0);
    const items: JsonObject[] = [];
    for (let position = 0; position < lines.length; position += 1) {
      const action = parseJson(lines[position] as string);
      const [operation, meta] = Object.entries(action)[0] ?? [];
      if (!operation || !isObject(meta))
        throw new HttpError(400, 'illegal_argument_exception', 'Malformed action');
      const indexName = typeof meta._index === 'string' ? meta._index : defaultIndex;
      let id = typeof meta._id === 'string' ? meta._id : undefined;
      const source = operation === 'delete' ? undefined : parseJson(lines[++position] ?? '');
      const base: JsonObject = { _index: indexName ?? null, _id: id ?? null };
      try {
        if (!indexName) throw new HttpError(400, 'action_request_validation_exception', 'index is missing');
        const index = requireIndex(indexName);
        if (operation === 'delete') {
          const existed = id !== undefined && index.documents.delete(id);
          items.push({
            delete: {
              ...base,
              _version: 1,
              result: existed ? 'deleted' : 'not_found',
              status: existed ? 200 : 404,
            },
          });
          continue;
        }
        if (operation !== 'index' && operation !== 'create') {
          throw new HttpError(400, 'illegal_argument_exception', `Unsupported action [${operation}]`);
        }
        id ??= `gen-${(seqNo + 1).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
        if (operation === 'create' && index.documents.has(id)) {
          throw new HttpError(
            409,
            'version_conflict_engine_exception',
            `[${id}]: version conflict, document already exists`,
          );
        }
        const { version, created } = put(index, id, source ?? {});
        items.push({
          [operation]: {
            _index: indexName,
            _id: id,
            _version: version,
            result: created ? 'created' : 'updated',
            _shards: { total: 2, successful: 1, failed: 0 },
            _seq_no: seqNo,
            _primary_term: 1,
            status: created ? 201 : 200,
          },
        });
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        items.push({
          [operation]: {
            ...base,
            status: error.status,
            error: { type: error.type, reason: error.message, index: indexName ?? null },
          },
        });
      }
    }
    return {
      took: Date.now() - started,
      errors: items.some((item) => {
        const result = Object.values(item)[0];
        return isObject(result) && result.error !== undefined;
      }),
      items,
    };
  }

  function search(index: FakeIndex, indexName: string, body: JsonObject, query: URLSearchParams): JsonObject {
    const started = Date.now();
    const searcher = new Searcher(index);
    const matches: Array<{ document: StoredDocument; score: number }> = [];
    for (const document of index.documents.values()) {
      const score = searcher.score(document, body.query);
      if (score !== null) matches.push({ document, score });
    }
    matches.sort((left, right) => right.score - left.score || left.document.seqNo - right.document.seqNo);
    const size = Number(body.size ?? query.get('size') ?? 10);
    const from = Number(body.from ?? query.get('from') ?? 0);
    const page = matches.slice(from, from + size);
    const response: JsonObject = {
      took: Date.now() - started,
      timed_out: false,
      _shards: SHARDS,
      hits: {
        total: { value: matches.length, relation: 'eq' },
        max_score: matches.length > 0 ? (matches[0]?.score ?? null) : null,
        hits: page.map(({ document, score }) => {
          const hit: JsonObject = { _index: indexName, _id: document.id, _score: score };
          const source = projectSource(document.source, body._source);
          if (source !== undefined) hit._source = source;
          return hit;
        }),
      },
    };
    const aggregations = body.aggs ?? body.aggregations;
    if (aggregations !== undefined) {
      response.aggregations = aggregate(
        matches.map((match) => match.document),
        aggregations,
      );
    }
    return response;
  }

  function deleteByQuery(index: FakeIndex, body: JsonObject): JsonObject {
    const started = Date.now();
    if (body.query === undefined) {
      throw new HttpError(
        400,
        'action_request_validation_exception',
        'Validation Failed: 1: query is missing;',
      );
    }
    const searcher = new Searcher(index);
    const doomed = [...index.documents.values()].filter(
      (document) => searcher.score(document, body.query) !== null,
    );
    for (const document of doomed) index.documents.delete(document.id);
    return {
      took: Date.now() - started,
      timed_out: false,
      total: doomed.length,
      deleted: doomed.length,
      batches: doomed.length > 0 ? 1 : 0,
      version_conflicts: 0,
      noops: 0,
      retries: { bulk: 0, search: 0 },
      throttled_millis: 0,
      requests_per_second: -1,
      throttled_until_millis: 0,
      failures: [],
    };
  }

  function mget(indexName: string | undefined, body: JsonObject): JsonObject {
    const found = (name: string | undefined, id: string): JsonObject => {
      const document = name === undefined ? undefined : requireIndex(name).documents.get(id);
      if (!document) return { _index: name ?? null, _id: id, found: false };
      return {
        _index: name ?? null,
        _id: id,
        _version: document.version,
        _seq_no: document.seqNo,
        _primary_term: 1,
        found: true,
        _source: projectSource(document.source, body._source) ?? null,
      };
    };
    const wanted: Array<{ index: string | undefined; id: string }> = Array.isArray(body.ids)
      ? body.ids.map((id) => ({ index: indexName, id: String(id) }))
      : asArray(body.docs).map((doc) => ({
          index: isObject(doc) && typeof doc._index === 'string' ? doc._index : indexName,
          id: isObject(doc) ? String(doc._id) : '',
        }));
    return { docs: wanted.map(({ index: name, id }) => found(name, id)) };
  }

  async function route(request: IncomingMessage): Promise<{ status: number; body?: JsonObject }> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    requests.push({ method, path: url.pathname, query: url.searchParams, headers: request.headers });
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const text = await readBody(request);
    const [first, second] = segments;

    if (first === '_bulk' && (method === 'POST' || method === 'PUT'))
      return { status: 200, body: bulk(text, undefined) };
    if (first === '_mget') return { status: 200, body: mget(undefined, parseJson(text)) };
    if (first === undefined || first.startsWith('_')) {
      throw new HttpError(400, 'illegal_argument_exception', `unsupported path ${url.pathname}`);
    }
    if (second === undefined) {
      if (method === 'HEAD') return { status: indices.has(first) ? 200 : 404 };
      if (method === 'PUT') {
        if (indices.has(first)) {
          throw new HttpError(
            400,
            'resource_already_exists_exception',
            `index [${first}/_na_] already exists`,
            first,
          );
        }
        const body = parseJson(text);
        indices.set(first, {
          settings: isObject(body.settings) ? body.settings : {},
          mappings: isObject(body.mappings) ? body.mappings : {},
          documents: new Map(),
        });
        return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: first } };
      }
      if (method === 'DELETE') {
        requireIndex(first);
        indices.delete(first);
        return { status: 200, body: { acknowledged: true } };
      }
    }
    if (second === '_bulk' && (method === 'POST' || method === 'PUT'))
      return { status: 200, body: bulk(text, first) };
    const index = requireIndex(first);
    if (second === '_search' && (method === 'POST' || method === 'GET')) {
      return { status: 200, body: search(index, first, parseJson(text), url.searchParams) };
    }
    if (second === '_delete_by_query' && method === 'POST') {
      return { status: 200, body: deleteByQuery(index, parseJson(text)) };
    }
    if (second === '_count' && (method === 'POST' || method === 'GET')) {
      const body = parseJson(text);
      const searcher = new Searcher(index);
      const count = [...index.documents.values()].filter(
        (document) => searcher.score(document, body.query) !== null,
      ).length;
      return { status: 200, body: { count, _shards: SHARDS } };
    }
    if (second === '_mget') return { status: 200, body: mget(first, parseJson(text)) };
    if (second === '_refresh') return { status: 200, body: { _shards: SHARDS } };
    throw new HttpError(405, 'illegal_argument_exception', `unsupported ${method} ${url.pathname}`);
  }

  function respond(response: ServerResponse, status: number, body?: JsonObject): void {
    const payload = body === undefined ? '' : JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(payload),
    });
    response.end(payload);
  }

  const server: Server = createServer((request, response) => {
    route(request).then(
      ({ status, body }) => respond(response, status, request.method === 'HEAD' ? undefined : body),
      (error: unknown) => {
        const failure =
          error instanceof HttpError
            ? error
            : new HttpError(500, 'exception', error instanceof Error ? error.message : String(error));
        respond(response, failure.status, request.method === 'HEAD' ? undefined : failure.body());
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get indices() {
      return new Map(
        [...indices.entries()].map(([name, index]) => [
          name,
          { settings: index.settings, mappings: index.mappings, documentCount: index.documents.size },
        ]),
      );
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
