import type { Context } from 'aws-lambda';
import { NotFoundError } from '../domain/index.ts';
import { invokeTool, type ActionGroup, type ToolResources } from './action-group.ts';
import { UNRESTRICTED, type AccessScope } from './scope.ts';

/**
 * How Amazon Bedrock AgentCore Gateway calls a Lambda target (AgentCore developer guide, "Lambda
 * function input format" and "Understand how AgentCore Gateway tools are named"): the event is the
 * tool's arguments as they are, with no envelope, and the tool's name is in the client context,
 * under `bedrockAgentCoreToolName`, prefixed with the target's name and a separator.
 */

/** The client-context key that names the tool a Gateway call is for. */
export const GATEWAY_TOOL_NAME_KEY = 'bedrockAgentCoreToolName';

/**
 * The prefixed tool name of a Gateway call, from the Lambda's client context, or undefined when
 * the call did not come from a Gateway. The custom values are read as `custom` (as the Gateway
 * sends them) or `Custom` (as the Node.js runtime's types name them), and the key whatever its
 * case (the samples spell it `bedrockAgentCoreToolName` and `bedrockagentcoreToolName`).
 */
export function gatewayToolName(context: Pick<Context, 'clientContext'> | undefined): string | undefined {
  const clientContext = context?.clientContext as
    { custom?: Record<string, unknown>; Custom?: Record<string, unknown> } | undefined;
  const custom = clientContext?.custom ?? clientContext?.Custom ?? {};
  const key = Object.keys(custom).find(
    (candidate) => candidate.toLowerCase() === GATEWAY_TOOL_NAME_KEY.toLowerCase(),
  );
  const name = key === undefined ? undefined : custom[key];
  return typeof name === 'string' && name.length > 0 ? name : undefined;
}

/**
 * A Gateway tool name without its target's prefix: what follows the first `__` or `___` (the
 * Lambda input format's example splits on `___`, the tool-naming page shows `__`), since target
 * names (the action groups') hold no underscore and tool names no double one.
 */
export function unprefixedToolName(name: string): string {
  const at = name.indexOf('__');
  return at < 0 ? name : name.slice(at).replace(/^_+/, '');
}

/**
 * Runs one Gateway call of an action group's tool: the arguments are validated by the tool's zod
 * schema and the output returned as it is (the Gateway passes it on as the tool's result). The
 * Gateway carries no caller facility, so the call reads what the deployment's scope allows: one
 * facility when the Lambda is deployed for it (`GATEWAY_FACILITY`), else every facility, and only
 * principals allowed to invoke the Gateway (IAM inbound authorization) reach it.
 * @throws {@link NotFoundError} when the group has no tool of that name.
 */
export async function answerGatewayCall({
  group,
  toolName,
  input,
  resources,
  scope,
}: {
  group: ActionGroup;
  /** The tool's name as the Gateway sent it (prefixed with the target's). */
  toolName: string;
  input: unknown;
  resources: ToolResources;
  /** What the call may read; every facility by default. */
  scope?: AccessScope;
}): Promise<unknown> {
  const name = unprefixedToolName(toolName);
  const tool = group.tools.find((candidate) => candidate.name === name);
  if (!tool) {
    throw new NotFoundError(`the ${group.name} action group has no tool "${name}"`, {
      details: { available: group.tools.map((candidate) => candidate.name) },
    });
  }
  return invokeTool({ tool, input, context: { ...resources, scope: scope ?? UNRESTRICTED } });
}
