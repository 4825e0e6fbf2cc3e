import type { Express, RequestHandler } from 'express';
import type { ErrorBody } from './errors.ts';

/**
 * What this module reads of an Express 5 router layer (the `router` package): a route layer has
 * `route.methods`; a mounted router has `handle.stack`; `match(path)` matches either, a route
 * fully and a mounted router as a prefix.
 */
interface RouterLayer {
  match(path: string): { path: string } | false;
  route?: { methods: Record<string, boolean | undefined> };
  handle: unknown;
}

function isLayer(value: unknown): value is RouterLayer {
  return typeof value === 'object' && value !== null && 'match' in value && typeof value.match === 'function';
}

function layersOf(router: unknown): RouterLayer[] {
  if ((typeof router !== 'object' && typeof router !== 'function') || router === null) return [];
  if (!('stack' in router) || !Array.isArray(router.stack)) return [];
  return router.stack.filter(isLayer);
}

function matched(layer: RouterLayer, path: string): { path: string } | false {
  try {
    return layer.match(path);
  } catch {
    // A path that cannot be decoded matches nothing here; the router answers it before.
    return false;
  }
}

/** The methods of the routes of `router` (and the routers mounted in it) that match `path`. */
function methodsOf(router: unknown, path: string, methods: Set<string>): void {
  for (const layer of layersOf(router)) {
    const match = matched(layer, path);
    if (!match) continue;
    if (layer.route) {
      for (const [method, handled] of Object.entries(layer.route.methods)) {
        if (handled && method !== '_all') methods.add(method.toUpperCase());
      }
    } else {
      const rest = path.slice(match.path.length);
      methodsOf(layer.handle, rest.startsWith('/') ? rest : `/${rest}`, methods);
    }
  }
}

/**
 * The methods the app's routes serve on `path`, sorted, with HEAD wherever GET is served (as
 * Express answers it); empty for a path no route serves.
 */
export function allowedMethods(app: Express, path: string): string[] {
  const methods = new Set<string>();
  methodsOf(app.router, path, methods);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * Answers a request whose path is served, but not with its method, with 405 and an `Allow`
 * header listing the methods of that path, in the API's error shape. Mounted after the routes
 * and before the 404 handler, so it only sees requests no route answered; other requests go on.
 */
export function methodNotAllowedHandler(app: Express): RequestHandler {
  return (request, response, next) => {
    const allowed = allowedMethods(app, request.path);
    if (allowed.length === 0 || allowed.includes(request.method)) {
      next();
      return;
    }
    const body: ErrorBody = {
      error: {
        code: 'method_not_allowed',
        message: `${request.method} is not allowed on ${request.path}; allowed: ${allowed.join(', ')}`,
        requestId: String(request.id),
      },
    };
    response.setHeader('Allow', allowed.join(', '));
    response.status(405).json(body);
  };
}
