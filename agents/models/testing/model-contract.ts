import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { invokeTool, toToolSpec, type ToolResources } from '../../../action-groups/action-group.ts';
import { UNRESTRICTED } from '../../../action-groups/scope.ts';
import { createInMemoryDefectHistory } from '../../../action-groups/recurrence/defect-history.ts';
import { CancelledError, type InspectionReport } from '../../../domain/index.ts';
import {
  openEmbeddedKnowledgeBase,
  type EmbeddedKnowledgeBase,
} from '../../../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createHashingEmbedder } from '../../../knowledge-base/embedding/hashing-embedder.ts';
import { fixtureDocument, indexedDocuments } from '../../../knowledge-base/testing/fixtures.ts';
import { classifierAgent } from '../../index.ts';
import { formatAgentInput, reportForAgents } from '../../input.ts';
import { agentTools, extractJson } from '../../runtime/local-runtime.ts';
import { SAMPLE_REPORTS } from '../../testing/sample-reports.ts';
import {
  messageText,
  type ContentBlock,
  type ConverseParams,
  type ConverseResult,
  type Message,
  type Model,
  type StopReason,
  type ToolChoice,
} from '../model.ts';

/** What a contract run needs from an adapter. */
export interface ModelUnderTest {
  model: Model;
  /**
   * What the model behind the adapter was asked so far, when the adapter talks to one that a test
   * can observe (e.g. the model a local Converse server hosts). Lets the contract check what got
   * through: no call after an aborted signal, and image blocks only when images are supported.
   */
  receivedCalls?: () => ReadonlyArray<Omit<ConverseParams, 'signal'>>;
  cleanup?: () => Promise<void>;
}

/** The cases of the Model contract, for {@link ModelContractOptions.knownViolations}. */
export type ModelContractCase =
  | 'converse-shape'
  | 'tool-use'
  | 'tool-loop'
  | 'same-answer'
  | 'aborted-signal'
  | 'abort-during-call'
  | 'images-left-out'
  | 'image-only-turn'
  | 'images-reach-model';

/** What the contract may expect of an adapter beyond the port. */
export interface ModelContractOptions {
  /** Whether the same input gives the same answer (the offline model, and adapters hosting it). */
  deterministic?: boolean;
  /**
   * Cases the adapter is known to fail, each with the reason. They run as expected failures, so a
   * fix turns them red until the entry is removed.
   */
  knownViolations?: Partial<Record<ModelContractCase, string>>;
}

/** The report the contract classifies: a rust defect from the sample reports, with no measurements. */
const REPORT: InspectionReport = SAMPLE_REPORTS[0] ?? { description: 'orange spots after quench' };

const STOP_REASONS: readonly StopReason[] = [
  'end_turn',
  'tool_use',
  'max_tokens',
  'stop_sequence',
  'guardrail_intervened',
  'content_filtered',
];

const MAXIMUM_CALLS = 8;

/** A whole 1×1 PNG: adapters may decode an image (Converse fits large ones within its limits). */
const IMAGE_BYTES = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);

const tools = agentTools(classifierAgent);

/** The user turn the classifier gets for a report, as the orchestrator builds it. */
function reportText(report: InspectionReport): string {
  return formatAgentInput({ report: reportForAgents(report) });
}

/** A classifier call as the local runtime makes it. */
function classifierCall(
  messages: readonly Message[],
  extra: { toolChoice?: ToolChoice; signal?: AbortSignal } = {},
): ConverseParams {
  return {
    system: [{ text: classifierAgent.instruction }],
    messages: [...messages],
    tools: tools.map(toToolSpec),
    toolChoice: extra.toolChoice ?? { auto: {} },
    requestMetadata: { agent: 'classifier', mode: 'analyze' },
    ...(extra.signal ? { signal: extra.signal } : {}),
  };
}

function firstTurn(content: ContentBlock[] = [{ text: reportText(REPORT) }]): Message[] {
  return [{ role: 'user', content }];
}

function toolUsesOf(message: Message): Array<Extract<ContentBlock, { toolUse: unknown }>['toolUse']> {
  return message.content.flatMap((block) => ('toolUse' in block ? [block.toolUse] : []));
}

/** The comparable part of an answer: everything but the latency. */
function answerOf(result: ConverseResult): Omit<ConverseResult, 'metrics'> {
  return { output: result.output, stopReason: result.stopReason, usage: result.usage };
}

/** Checks the Converse shape every answer has. */
function expectConverseShape(result: ConverseResult): void {
  expect(result.output.message.role).toBe('assistant');
  expect(Array.isArray(result.output.message.content)).toBe(true);
  expect(STOP_REASONS).toContain(result.stopReason);
  const { inputTokens, outputTokens, totalTokens } = result.usage;
  for (const count of [inputTokens, outputTokens, totalTokens]) {
    expect(Number.isInteger(count)).toBe(true);
    expect(count).toBeGreaterThanOrEqual(0);
  }
  expect(totalTokens).toBe(inputTokens + outputTokens);
  const toolUses = toolUsesOf(result.output.message);
  if (result.stopReason === 'tool_use') expect(toolUses.length).toBeGreaterThan(0);
  if (result.stopReason === 'end_turn') expect(toolUses).toEqual([]);
}

/** Checks the tool uses of an answer: unique non-empty ids, offered names, inputs the tools accept. */
function expectValidToolUses(result: ConverseResult, seenIds: Set<string>): void {
  for (const toolUse of toolUsesOf(result.output.message)) {
    expect(toolUse.toolUseId).not.toBe('');
    expect(seenIds.has(toolUse.toolUseId), `toolUseId ${toolUse.toolUseId} is used twice`).toBe(false);
    seenIds.add(toolUse.toolUseId);
    const tool = tools.find((candidate) => candidate.name === toolUse.name);
    expect(tool, `${toolUse.name} was not offered`).toBeDefined();
    expect(typeof toolUse.input === 'object' && toolUse.input !== null && !Array.isArray(toolUse.input)).toBe(
      true,
    );
    const parsed = tool?.input.safeParse(toolUse.input);
    expect(
      parsed?.success,
      `${toolUse.name} refuses ${JSON.stringify(toolUse.input)}: ${parsed?.error?.message ?? ''}`,
    ).toBe(true);
  }
}

/**
 * Converses until the model stops asking for tools, running the tools it asks for for real, and
 * returns every answer. The first call requires a tool (`toolChoice: any`), the others leave it to
 * the model.
 */
async function converseToTheEnd(model: Model, context: ToolResources): Promise<ConverseResult[]> {
  const messages = firstTurn();
  const answers: ConverseResult[] = [];
  for (let call = 0; call < MAXIMUM_CALLS; call += 1) {
    const toolChoice: ToolChoice = call === 0 ? { any: {} } : { auto: {} };
    const result = await model.converse(classifierCall(messages, { toolChoice }));
    answers.push(result);
    messages.push(result.output.message);
    const toolUses = toolUsesOf(result.output.message);
    if (toolUses.length === 0) return answers;
    const results: ContentBlock[] = [];
    for (const toolUse of toolUses) {
      const tool = tools.find((candidate) => candidate.name === toolUse.name);
      if (!tool) throw new Error(`the model asked for ${toolUse.name}, which was not offered`);
      const output = await invokeTool({
        tool,
        input: toolUse.input,
        context: { ...context, scope: UNRESTRICTED },
      });
      results.push({
        toolResult: { toolUseId: toolUse.toolUseId, content: [{ json: output }], status: 'success' },
      });
    }
    messages.push({ role: 'user', content: results });
  }
  throw new Error(`the model asked for tools in each of ${MAXIMUM_CALLS} calls`);
}

function hasImage(call: Omit<ConverseParams, 'signal'>): boolean {
  return call.messages.some((message) => message.content.some((block) => 'image' in block));
}

/**
 * The Model contract: every adapter (offline, Converse, ConverseStream, …) must pass it. It
 * classifies a sample report with the real classifier definition and tools, which run for real over
 * a small knowledge base. `create` is called once for the suite.
 */
export function describeModelContract(
  name: string,
  create: () => Promise<ModelUnderTest>,
  options: ModelContractOptions = {},
): void {
  const { deterministic = false, knownViolations = {} } = options;

  /** Declares a case; a known violation runs as an expected failure. */
  function contractCase(
    key: ModelContractCase,
    title: string,
    body: (context: TestContext) => Promise<void>,
  ): void {
    const violation = knownViolations[key];
    if (violation) it.fails(`${title} (known violation: ${violation})`, body);
    else it(title, body);
  }

  describe(`Model contract: ${name}`, () => {
    let subject: ModelUnderTest;
    let model: Model;
    let knowledgeBase: EmbeddedKnowledgeBase;
    let context: ToolResources;

    beforeAll(async () => {
      const embedder = createHashingEmbedder({ dimensions: 128 });
      knowledgeBase = await openEmbeddedKnowledgeBase({ directory: ':memory:', embedder });
      const documents = (['rust', 'scratch', 'sop', 'handle'] as const).map((key) => fixtureDocument(key));
      await knowledgeBase.upsertDocuments({
        documents: await indexedDocuments(documents, embedder),
        embedderId: embedder.id,
      });
      context = {
        knowledgeBase,
        defectHistory: createInMemoryDefectHistory(),
        now: () => new Date('2026-11-22T08:00:00Z'),
      };
      subject = await create();
      model = subject.model;
    });

    afterAll(async () => {
      await subject?.cleanup?.();
      knowledgeBase?.close();
    });

    contractCase(
      'converse-shape',
      'answers in the Converse shape: assistant role, a known stop reason, usage that adds up',
      async () => {
        const result = await model.converse(classifierCall(firstTurn()));
        expectConverseShape(result);
        expect(model.id.length).toBeGreaterThan(0);
      },
    );

    contractCase(
      'tool-use',
      'asks for offered tools with unique ids and inputs their schemas accept when a tool is required',
      async () => {
        const result = await model.converse(classifierCall(firstTurn(), { toolChoice: { any: {} } }));
        expectConverseShape(result);
        expect(result.stopReason).toBe('tool_use');
        expect(toolUsesOf(result.output.message).length).toBeGreaterThan(0);
        expectValidToolUses(result, new Set());
      },
    );

    contractCase(
      'tool-loop',
      'ends the tool loop with end_turn text that parses as the classifier output',
      async () => {
        const answers = await converseToTheEnd(model, context);
        const seenIds = new Set<string>();
        for (const answer of answers) {
          expectConverseShape(answer);
          expectValidToolUses(answer, seenIds);
        }
        expect(answers.length).toBeGreaterThan(1);
        const last = answers.at(-1);
        expect(last?.stopReason).toBe('end_turn');
        const text = last ? messageText(last.output.message) : '';
        const parsed = classifierAgent.outputSchema.safeParse(extractJson(text));
        expect(parsed.error).toBeUndefined();
      },
    );

    contractCase('same-answer', 'gives the same answers to the same conversation', async ({ skip }) => {
      skip(!deterministic, 'the adapter does not promise deterministic answers');
      const first = await converseToTheEnd(model, context);
      const second = await converseToTheEnd(model, context);
      expect(second.map(answerOf)).toEqual(first.map(answerOf));
    });

    contractCase(
      'aborted-signal',
      'rejects with CancelledError and makes no call when the signal is already aborted',
      async () => {
        const before = subject.receivedCalls?.().length;
        const reason = new Error('the caller gave up');
        const error = await model
          .converse(classifierCall(firstTurn(), { signal: AbortSignal.abort(reason) }))
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(CancelledError);
        expect(subject.receivedCalls?.().length).toBe(before);
      },
    );

    contractCase(
      'abort-during-call',
      'cuts a call short with CancelledError, or finishes it, when the signal aborts during the call',
      async () => {
        const controller = new AbortController();
        const pending = model.converse(classifierCall(firstTurn(), { signal: controller.signal }));
        controller.abort(new Error('the caller gave up'));
        const outcome = await pending.catch((caught: unknown) => caught);
        if (outcome instanceof Error) expect(outcome).toBeInstanceOf(CancelledError);
        else expectConverseShape(outcome as ConverseResult);
      },
    );

    contractCase(
      'images-left-out',
      'leaves image blocks out when it does not support images: the answer is the one without the image',
      async ({ skip }) => {
        skip(model.supportsImages, 'the model supports images');
        const before = subject.receivedCalls?.().length ?? 0;
        const text: ContentBlock = { text: reportText(REPORT) };
        const image: ContentBlock = { image: { format: 'png', source: { bytes: IMAGE_BYTES } } };
        const withImage = await model.converse(classifierCall(firstTurn([text, image])));
        const withoutImage = await model.converse(classifierCall(firstTurn([text])));
        expect(withImage.output).toEqual(withoutImage.output);
        expect(withImage.stopReason).toBe(withoutImage.stopReason);
        const received = subject.receivedCalls?.().slice(before) ?? [];
        expect(received.filter(hasImage)).toEqual([]);
      },
    );

    contractCase(
      'image-only-turn',
      'answers a turn that holds only an image even when it does not support images',
      async () => {
        const image: ContentBlock = { image: { format: 'png', source: { bytes: IMAGE_BYTES } } };
        const result = await model.converse(classifierCall(firstTurn([image])));
        expectConverseShape(result);
      },
    );

    contractCase(
      'images-reach-model',
      'passes image blocks with their bytes to the model when it supports images',
      async ({ skip }) => {
        skip(!model.supportsImages, 'the model does not support images');
        const before = subject.receivedCalls?.().length ?? 0;
        const image: ContentBlock = { image: { format: 'png', source: { bytes: IMAGE_BYTES } } };
        const result = await model.converse(classifierCall(firstTurn([{ text: reportText(REPORT) }, image])));
        expectConverseShape(result);
        const received = subject.receivedCalls?.().slice(before);
        if (received) {
          expect(received).toHaveLength(1);
          expect(received[0]?.messages[0]?.content[1]).toEqual(image);
        }
      },
    );
  });
}
