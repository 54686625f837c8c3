/** The OpenAPI document (shared/http/openapi.ts): built once; its event replies are the EventReply schema, field for field. */
import { openApiDocument } from '../../shared/http/openapi';
import { EventReply } from '../../shared/schemas/events';

test('built once, then the same document', () => {
  expect(openApiDocument()).toBe(openApiDocument());
});

test("GET /events/{id} and an action's reply describe every field of the case view, and no other", () => {
  const paths = openApiDocument().paths as Record<
    string,
    Record<string, { responses: Record<string, { content: Record<string, { schema: any }> }> }>
  >;
  for (const schema of [
    paths['/events/{id}'].get.responses[200].content['application/json'].schema,
    paths['/events/{id}/actions'].post.responses[200].content['application/json'].schema,
  ]) {
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(EventReply.shape).sort());
    expect(schema.additionalProperties).toBe(false);
  }
});

test("the HTTP API's own replies are documented in AWS's shape: 401 on signed-in routes, 429 on every route", () => {
  const gateway = { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] };
  const paths = openApiDocument().paths as Record<string, Record<string, { security: unknown[]; responses: Record<number, any> }>>;
  const schemaOf = (response: any) => response.content['application/json'].schema;
  const shapes = (response: any) => (schemaOf(response).oneOf ?? [schemaOf(response)]).map((schema: any) => Object.keys(schema.properties));
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const signedIn = operation.security.length === 1 && Object.keys(operation.security[0] as object).includes('bearer');
      expect([path, method, shapes(operation.responses[429])]).toEqual([path, method, expect.arrayContaining([['message']])]);
      if (signedIn) {
        expect(shapes(operation.responses[401])).toEqual([['message'], ['error']]);
        expect(schemaOf(operation.responses[401]).oneOf[0]).toMatchObject(gateway);
      }
    }
  }
  // The app's own 429 (residents' reports) stays beside the throttle's.
  expect(shapes(paths['/events'].post.responses[429])).toEqual([['message'], ['error']]);
  expect(shapes(paths['/events'].post.responses[401])).toEqual([['error']]);
});
