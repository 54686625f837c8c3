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
