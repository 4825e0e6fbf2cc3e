import { Facility, ValidationError } from '../domain/index.ts';
import { UNRESTRICTED, type AccessScope } from './scope.ts';

/**
 * The session attribute that carries the caller's facility from the service to the action-group
 * Lambdas of a deployed agent. The service sets it on InvokeAgent; a model cannot change it.
 */
export const ACCESS_SCOPE_ATTRIBUTE = 'rca_scope_facility';

/**
 * The `sessionAttributes` of an InvokeAgent call: the configured ones, plus the scope's facility
 * under {@link ACCESS_SCOPE_ATTRIBUTE} when the scope is narrowed. Returns an empty object when
 * there is nothing to send.
 */
export function scopeSessionAttributes(
  configured: Record<string, string> | undefined,
  scope: AccessScope,
): { sessionAttributes?: Record<string, string> } {
  if (scope.facility === null) return configured ? { sessionAttributes: configured } : {};
  return { sessionAttributes: { ...configured, [ACCESS_SCOPE_ATTRIBUTE]: scope.facility } };
}

/**
 * The scope of an action-group Lambda invocation, from its session attributes: the facility under
 * {@link ACCESS_SCOPE_ATTRIBUTE}, or every facility when the attribute is absent.
 * @throws {@link ValidationError} when the attribute names no known facility (the call is refused
 * rather than run unscoped).
 */
export function scopeOfSessionAttributes(
  attributes: Readonly<Record<string, unknown>> | undefined,
): AccessScope {
  const value = attributes?.[ACCESS_SCOPE_ATTRIBUTE];
  if (value === undefined) return UNRESTRICTED;
  const facility = Facility.safeParse(value);
  if (!facility.success) {
    throw new ValidationError(`session attribute ${ACCESS_SCOPE_ATTRIBUTE} names no known facility`, {
      cause: facility.error,
    });
  }
  return { facility: facility.data };
}
