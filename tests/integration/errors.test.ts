import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';

describe('error replies', () => {
  const ctx = useTestApp();

  it('answers an unknown route with a JSON 404', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Route GET /nope not found' });
  });
});
