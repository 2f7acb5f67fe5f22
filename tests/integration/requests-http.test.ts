/** examples/requests.http cannot drift from the API: every request targets a registered route. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/utils/paths.js';
import { useTestApp } from '../helpers/app.js';
import type { RegisteredRoute } from '../helpers/routes.js';

interface HttpFileRequest {
  title: string;
  name: string | undefined;
  method: string;
  url: string;
  headers: string[];
  body: string;
}

const file = readFileSync(join(PROJECT_ROOT, 'examples', 'requests.http'), 'utf8');

/** The REST-client format: blocks separated by `###`, each `METHOD url`, headers, a blank line, a body. */
function parseRequests(text: string): HttpFileRequest[] {
  return text
    .split(/^###/m)
    .slice(1)
    .map((block) => {
      const [title = '', ...lines] = block.split('\n');
      const name = /^# @name (\w+)$/m.exec(block)?.[1];
      const start = lines.findIndex((line) => /^[A-Z]+ /.test(line));
      if (start === -1) throw new Error(`No request line in block "${title.trim()}"`);
      // The URL may hold spaces inside a variable: {{$datetime "YYYY-MM-DD" -1 d}}.
      const [, method, url] = /^([A-Z]+) (.+?)(?: HTTP\/[\d.]+)?$/.exec(lines[start]!)!;
      const rest = lines.slice(start + 1);
      const blank = rest.findIndex((line) => line.trim() === '');
      const headers = blank === -1 ? rest : rest.slice(0, blank);
      const body = blank === -1 ? '' : rest.slice(blank).join('\n').trim();
      return { title: title.trim(), name, method: method!, url: url!, headers, body };
    });
}

/** Whether `/habits/{{x}}/goal` is an instance of `/habits/:id/goal`. */
function matches(route: RegisteredRoute, method: string, path: string): boolean {
  const routeSegments = route.path.split('/');
  const segments = path.split('/');
  return (
    route.method === method &&
    routeSegments.length === segments.length &&
    routeSegments.every((segment, i) => (segment.startsWith(':') ? segments[i] !== '' : segment === segments[i]))
  );
}

describe('examples/requests.http', () => {
  const requests = parseRequests(file);
  const testApp = useTestApp();
  let routes: RegisteredRoute[];

  beforeAll(() => {
    routes = testApp.routes;
  });

  it('has the walk-through requests, each on {{baseUrl}}', () => {
    expect(requests.length).toBeGreaterThanOrEqual(15);
    for (const { title, url } of requests) expect({ title, url: url.split('/')[0] }).toEqual({ title, url: '{{baseUrl}}' });
  });

  it('targets only routes the app registers', () => {
    const unknown = requests.filter(({ method, url }) => {
      const path = url.replace('{{baseUrl}}', '').split('?')[0]!;
      return !routes.some((route) => matches(route, method, path));
    });
    expect(unknown.map(({ method, url }) => `${method} ${url}`)).toEqual([]);
  });

  it('refers only to variables it defines and to requests named before the reference', () => {
    const fileVariables = new Set([...file.matchAll(/^@(\w+) = /gm)].map((match) => match[1]));
    const named = new Set<string>();
    const problems: string[] = [];
    for (const request of requests) {
      const text = [request.url, ...request.headers, request.body].join('\n');
      for (const [, reference = ''] of text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)) {
        const response = /^(\w+)\.response\.(?:body\.\$\.[\w.]+|headers\.[\w-]+)$/.exec(reference);
        const known = reference.startsWith('$') || fileVariables.has(reference) || (response !== null && named.has(response[1]!));
        if (!known) problems.push(`${request.title}: {{${reference}}}`);
      }
      if (request.name) named.add(request.name);
    }
    expect(problems).toEqual([]);
  });

  it('sends JSON bodies that parse, with their Content-Type', () => {
    for (const { title, headers, body } of requests.filter((request) => request.body !== '')) {
      // A variable stands in for a string, inside the quotes the file puts around it.
      expect((): unknown => JSON.parse(body.replace(/\{\{[^}]+\}\}/g, 'x')), title).not.toThrow();
      expect(headers, title).toContain('Content-Type: application/json');
    }
  });
});
