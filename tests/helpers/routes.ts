/** The routes an app registers, for tests that must cover every one of them. */
import type { RouteOptions } from 'fastify';

export interface RegisteredRoute {
  method: string;
  path: string;
  /** The route's reply schemas by status (`schema.response`), as registered. */
  response?: Record<string, unknown>;
}

/**
 * An `onRoute` hook for buildApp's options, and the routes it has seen: every (method, path) the
 * app registers, its plugins' routes (/docs…) and the HEAD routes Fastify adds included.
 */
export function routeRecorder(): { routes: RegisteredRoute[]; onRoute: (route: RouteOptions) => void } {
  const routes: RegisteredRoute[] = [];
  const onRoute = ({ method, url, schema }: RouteOptions) => {
    // `/habits` and `/habits/` are one route; compare without trailing slashes.
    const path = url.length > 1 ? url.replace(/\/+$/, '') : url;
    const response = schema?.response as Record<string, unknown> | undefined;
    for (const each of [method].flat()) routes.push({ method: each, path, ...(response && { response }) });
  };
  return { routes, onRoute };
}
