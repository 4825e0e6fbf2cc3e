import type { z } from 'zod';
import { ACTION_GROUPS } from '../../action-groups/index.ts';
import {
  invokeTool,
  toToolSpec,
  type ActionGroup,
  type ToolDefinition,
  type ToolResources,
  type ToolSpec,
} from '../../action-groups/action-group.ts';
import { UNRESTRICTED, type AccessScope } from '../../action-groups/scope.ts';
import {
  AgentOutputError,
  AgentStepLimitError,
  CancelledError,
  isDomainError,
  TimeoutError,
  UpstreamError,
} from '../../domain/index.ts';
import type { AgentDefinition } from '../definition.ts';
import {
  addUsage,
  messageText,
  NO_USAGE,
  type ContentBlock,
  type Message,
  type Model,
} from '../models/model.ts';
import type { AgentEvent, AgentRuntime, InvokeParams } from './agent-runtime.ts';

/** Settings of the local runtime. */
export interface LocalRuntimeConfig {
  model: Model;
  /** What tools get: knowledge base, defect history, clock (narrowed to each invocation's scope). */
  toolContext: ToolResources;
  /** Model calls per invocation, tool rounds included. 8 by default. */
  maxSteps?: number;
  /** Limit of each model call and each tool call, in ms. 30,000 by default. */
  callTimeoutMs?: number;
  /** Picks the model per agent (e.g. each agent's own Bedrock model); `model` for every agent by default. */
  modelFor?: (agent: AgentDefinition) => Model;
  /** The action groups agents may draw tools from; all of `action-groups/` by default. */
  actionGroups?: readonly ActionGroup[];
}

/** The agent's tools: the tools of its action groups. */
export function agentTools(
  agent: AgentDefinition,
  groups: readonly ActionGroup[] = ACTION_GROUPS,
): ToolDefinition[] {
  return agent.actionGroups.flatMap((name) => groups.find((group) => group.name === name)?.tools ?? []);
}

/** An agent's tools and their specs, worked out once per agent and set of action groups. */
const toolsets = new WeakMap<readonly ActionGroup[], WeakMap<AgentDefinition, Toolset>>();

interface Toolset {
  tools: readonly ToolDefinition[];
  specs: readonly ToolSpec[];
}

function toolsetOf(agent: AgentDefinition, groups: readonly ActionGroup[]): Toolset {
  let byAgent = toolsets.get(groups);
  if (!byAgent) {
    byAgent = new WeakMap();
    toolsets.set(groups, byAgent);
  }
  let toolset = byAgent.get(agent);
  if (!toolset) {
    const tools = agentTools(agent, groups);
    toolset = { tools, specs: tools.map(toToolSpec) };
    byAgent.set(agent, toolset);
  }
  return toolset;
}

/** Turns an abort reason into our typed errors. */
function abortError(error: unknown, what: string, call: Deadline, callerSignal?: AbortSignal): unknown {
  if (callerSignal?.aborted)
    return new CancelledError(`${what} was cancelled`, { cause: callerSignal.reason });
  if (call.timedOut()) return new TimeoutError(`${what} timed out`, { cause: error });
  return error;
}

/**
 * A time limit for one call, which also follows the caller's signal: one controller and one timer
 * that is cleared when the call ends (`AbortSignal.timeout` with `AbortSignal.any` would keep a
 * timer and weak references alive for the whole limit after every call). The race is settled by
 * the abort itself rather than by a listener on the signal, and the deadline is its own listener
 * of the caller's signal, so that a call costs no closures beyond the race's.
 */
class Deadline {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout>;
  #timedOut = false;
  #rejectRace: ((reason: unknown) => void) | undefined;

  constructor(ms: number, caller: AbortSignal | undefined) {
    this.#caller = caller;
    this.#timer = setTimeout(Deadline.#expire, ms, this, ms);
    if (caller?.aborted) this.#abort(caller.reason);
    else caller?.addEventListener('abort', this, { once: true });
  }

  static #expire(deadline: Deadline, ms: number): void {
    deadline.#timedOut = true;
    deadline.#abort(new DOMException(`The call exceeded its limit of ${ms} ms`, 'TimeoutError'));
  }

  /** Aborts when the time limit passes or the caller's signal aborts. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  timedOut(): boolean {
    return this.#timedOut;
  }

  /** Hears the caller's signal abort. */
  handleEvent(): void {
    this.#abort(this.#caller?.reason);
  }

  /**
   * Races the call against the signal, so that a call that ignores its signal still stops: rejects
   * with the abort reason as soon as the signal aborts (at once when it already has).
   */
  race<T>(call: Promise<T>): Promise<T> {
    const signal = this.#controller.signal;
    if (signal.aborted) {
      call.catch(() => undefined);
      return Promise.reject(signal.reason as Error);
    }
    return new Promise<T>((resolve, reject) => {
      this.#rejectRace = reject;
      call.then(resolve, reject);
    });
  }

  /** Stops the timer and the listening once the call is over. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#rejectRace = undefined;
    this.#caller?.removeEventListener('abort', this);
  }

  #abort(reason: unknown): void {
    this.#controller.abort(reason);
    this.#rejectRace?.(reason);
  }
}

/** Extracts the JSON object of a final answer: plain, fenced, or surrounded by prose. */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidate = fenced?.[1] ?? text;
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start < 0 || end <= start) throw new SyntaxError('the answer holds no JSON object');
  return JSON.parse(candidate.slice(start, end + 1));
}

function collectChunkIds(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectChunkIds(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'chunk_id' && typeof item === 'string') found.add(item);
      else collectChunkIds(item, found);
    }
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 12)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * The local AgentRuntime: an in-process tool loop over a {@link Model}. Tool arguments are
 * validated before a tool runs, the final answer against the output schema (one repair
 * attempt, then an {@link AgentOutputError}); every model and tool call has a time limit and
 * honours the caller's AbortSignal.
 */
export function createLocalRuntime(config: LocalRuntimeConfig): AgentRuntime {
  const maxSteps = config.maxSteps ?? 8;
  const callTimeoutMs = config.callTimeoutMs ?? 30_000;

  /**
   * Runs one tool use: validates and invokes the tool within its time limit, and returns its
   * result block and its events. A tool's failure becomes an error result the model reads; only
   * the caller's cancellation is thrown.
   */
  async function runTool({
    toolUse,
    tools,
    agent,
    step,
    scope,
    signal,
  }: {
    toolUse: { toolUseId: string; name: string; input: unknown };
    tools: readonly ToolDefinition[];
    agent: AgentDefinition;
    step: number;
    scope: AccessScope;
    signal: AbortSignal | undefined;
  }): Promise<{ result: ContentBlock; events: AgentEvent[] }> {
    const tool = tools.find((candidate) => candidate.name === toolUse.name);
    const toolStarted = performance.now();
    const toolCallEvent = (status: 'success' | 'error', error?: string): AgentEvent => ({
      type: 'tool_call',
      agent: agent.name,
      step,
      toolUseId: toolUse.toolUseId,
      name: toolUse.name,
      input: toolUse.input,
      durationMs: performance.now() - toolStarted,
      status,
      ...(error === undefined ? {} : { error }),
    });
    const limit = new Deadline(callTimeoutMs, signal);
    try {
      if (!tool)
        throw new Error(`unknown tool ${toolUse.name}; available: ${tools.map((t) => t.name).join(', ')}`);
      const output = await limit.race(
        invokeTool({
          tool,
          input: toolUse.input,
          context: { ...config.toolContext, scope, signal: limit.signal },
        }),
      );
      const view = agent.toolResultViews?.[toolUse.name];
      const seen = view ? view(output) : output;
      const events: AgentEvent[] = [toolCallEvent('success')];
      const chunkIds = new Set<string>();
      collectChunkIds(seen, chunkIds);
      if (chunkIds.size > 0) {
        events.push({
          type: 'retrieval',
          agent: agent.name,
          step,
          tool: toolUse.name,
          chunkIds: [...chunkIds],
        });
      }
      return {
        result: {
          toolResult: { toolUseId: toolUse.toolUseId, content: [{ json: seen }], status: 'success' },
        },
        events,
      };
    } catch (error) {
      if (signal?.aborted) throw new CancelledError(`${agent.name} was cancelled`, { cause: signal.reason });
      const message = limit.timedOut()
        ? `tool ${toolUse.name} timed out after ${callTimeoutMs} ms`
        : error instanceof Error
          ? `${error.message}${isDomainError(error) && error.details ? `: ${JSON.stringify(error.details)}` : ''}`
          : String(error);
      return {
        result: {
          toolResult: { toolUseId: toolUse.toolUseId, content: [{ text: message }], status: 'error' },
        },
        events: [toolCallEvent('error', message)],
      };
    } finally {
      limit.clear();
    }
  }

  return {
    async *invoke({
      agent,
      input,
      mode = 'analyze',
      outputSchema,
      scope = UNRESTRICTED,
      sessionId,
      signal,
    }: InvokeParams): AsyncIterable<AgentEvent> {
      const model = config.modelFor ? config.modelFor(agent) : config.model;
      const schema = outputSchema ?? agent.outputSchema;
      const { tools, specs: toolSpecs } = toolsetOf(agent, config.actionGroups ?? ACTION_GROUPS);
      const messages: Message[] = [
        { role: 'user', content: typeof input === 'string' ? [{ text: input }] : input },
      ];
      const started = performance.now();
      let usage = NO_USAGE;
      let repaired = false;

      for (let step = 1; step <= maxSteps; step += 1) {
        if (signal?.aborted)
          throw new CancelledError(`${agent.name} was cancelled`, { cause: signal.reason });
        const call = new Deadline(callTimeoutMs, signal);
        const callStarted = performance.now();
        let result;
        try {
          result = await call.race(
            model.converse({
              system: [{ text: agent.instruction }],
              messages,
              tools: toolSpecs,
              toolChoice: { auto: {} },
              requestMetadata: { agent: agent.name, mode, session: sessionId },
              signal: call.signal,
            }),
          );
        } catch (error) {
          const typed = abortError(error, `${agent.name} model call`, call, signal);
          if (isDomainError(typed)) throw typed;
          throw new UpstreamError(`${agent.name}: the model call failed`, { cause: error });
        } finally {
          call.clear();
        }
        usage = addUsage(usage, result.usage);
        yield {
          type: 'model_call',
          agent: agent.name,
          step,
          durationMs: performance.now() - callStarted,
          usage: result.usage,
          stopReason: result.stopReason,
        };
        const reply = result.output.message;
        messages.push(reply);
        const toolUses = reply.content.flatMap((block) => ('toolUse' in block ? [block.toolUse] : []));

        if (toolUses.length > 0) {
          // The tool uses of one turn are independent: they run at once, and their results and
          // events keep the order the model asked for them in.
          const outcomes = await Promise.all(
            toolUses.map((toolUse) => runTool({ toolUse, tools, agent, step, scope, signal })),
          );
          for (const outcome of outcomes) yield* outcome.events;
          messages.push({ role: 'user', content: outcomes.map((outcome) => outcome.result) });
          continue;
        }

        let problem: string;
        try {
          const parsed = schema.safeParse(extractJson(messageText(reply)));
          if (parsed.success) {
            yield {
              type: 'final',
              agent: agent.name,
              output: parsed.data,
              usage,
              durationMs: performance.now() - started,
              steps: step,
            };
            return;
          }
          problem = describeIssues(parsed.error);
        } catch (error) {
          problem = error instanceof Error ? error.message : String(error);
        }
        if (repaired) {
          throw new AgentOutputError(
            `${agent.name}: the answer does not match the output schema after a repair: ${problem}`,
            {
              details: { problem },
            },
          );
        }
        repaired = true;
        yield { type: 'repair', agent: agent.name, step, reason: problem };
        messages.push({
          role: 'user',
          content: [
            {
              text: `Your answer does not match the required output schema: ${problem}. Reply with only the corrected JSON object.`,
            },
          ],
        });
      }
      throw new AgentStepLimitError(`${agent.name}: no final answer within ${maxSteps} steps`);
    },
  };
}
