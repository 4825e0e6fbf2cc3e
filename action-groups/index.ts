import type { ActionGroup, ToolDefinition } from './action-group.ts';
import { capaDraftGroup } from './capa-draft/tools.ts';
import { defectTaxonomyGroup } from './defect-taxonomy/tools.ts';
import { processWindowsGroup } from './process-windows/tools.ts';
import { recurrenceGroup } from './recurrence/tools.ts';
import { similarDefectsGroup } from './similar-defects/tools.ts';
import { sopLookupGroup } from './sop-lookup/tools.ts';

/** The six action groups, each deployed as one Lambda and one Bedrock action group. */
export const ACTION_GROUPS: readonly ActionGroup[] = [
  defectTaxonomyGroup,
  processWindowsGroup,
  similarDefectsGroup,
  recurrenceGroup,
  sopLookupGroup,
  capaDraftGroup,
];

/** Every tool of every action group; tool names are unique across groups. */
export const ALL_TOOLS: readonly ToolDefinition[] = ACTION_GROUPS.flatMap((group) => group.tools);

const TOOLS_BY_NAME = new Map(ALL_TOOLS.map((tool) => [tool.name, tool]));

/** The tool with this name, or undefined when no action group has it. */
export function findTool(name: string): ToolDefinition | undefined {
  return TOOLS_BY_NAME.get(name);
}

/** The action group that holds the tool with this name, or undefined. */
export function findToolGroup(name: string): ActionGroup | undefined {
  return ACTION_GROUPS.find((group) => group.tools.some((tool) => tool.name === name));
}

export {
  capaDraftGroup,
  defectTaxonomyGroup,
  processWindowsGroup,
  recurrenceGroup,
  similarDefectsGroup,
  sopLookupGroup,
};
