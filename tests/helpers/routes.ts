/** The routes an app has registered, for tests that must cover every one of them. */
import type { FastifyInstance } from 'fastify';

export interface RegisteredRoute {
  method: string;
  path: string;
}

export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  return parseRoutes(app.printRoutes({ commonPrefix: false, includeHooks: false }));
}

/**
 * Every (method, path) in `app.printRoutes({ commonPrefix: false })`, whose output is a tree:
 *   ├── /habits (GET, HEAD, POST)
 *   │   └── / (GET, HEAD, POST)
 *   │       └── :id (GET, HEAD, PATCH, DELETE)
 *   │           ├── /goal (GET, HEAD, PUT, DELETE)
 * A node's full path is its ancestors' segments joined; each indentation level is 4 characters.
 */
function parseRoutes(tree: string): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  const pathAtDepth: string[] = [];
  for (const line of tree.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^((?:[│ ] {3})*)[├└]── (\S+?)(?: \(([A-Z]+(?:, [A-Z]+)*)\))?$/.exec(line);
    if (!match) throw new Error(`Unexpected line in printRoutes output: ${JSON.stringify(line)}`);
    const depth = match[1]!.length / 4;
    const path = (depth === 0 ? '' : pathAtDepth[depth - 1]!) + match[2]!;
    pathAtDepth.length = depth;
    pathAtDepth.push(path);
    for (const method of match[3]?.split(', ') ?? []) {
      // `/habits` and `/habits/` are one route; compare without trailing slashes.
      routes.push({ method, path: path.length > 1 ? path.replace(/\/+$/, '') : path });
    }
  }
  return routes;
}

