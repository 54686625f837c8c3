/**
 * A stop is a stop: the SMS stream reader stops while its sender fails on every record (Ctrl-C reaches DynamoDB
 * Local too, so the sender cannot settle any intent then). It used to hand the same batch over again without a
 * pause once stopping, and `npm start` never exited. A DynamoDB Streams stand-in with one intent record.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamReader } from '../../dev-server/stream-reader';
import { SMS_INTENT_PREFIX } from '../../shared/adapters/dynamodb/table-design';

const REPLIES: Record<string, unknown> = {
  ListStreams: { Streams: [{ StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/gridflow/stream/1' }] },
  DescribeStream: { StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } },
  GetShardIterator: { ShardIterator: 'iterator' },
  GetRecords: {
    Records: [{ eventName: 'INSERT', dynamodb: { Keys: { pk: { S: `${SMS_INTENT_PREFIX}E1.2.1` } }, SequenceNumber: '1', NewImage: {} } }],
    NextShardIterator: 'iterator',
  },
};

let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end(JSON.stringify(REPLIES[String(request.headers['x-amz-target']).split('.')[1] ?? ''] ?? {})));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

test.each([
  ['reports the record as failed', async () => ({ batchItemFailures: [{ itemIdentifier: '1' }] })],
  [
    'throws',
    async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:8000');
    },
  ],
])(
  'stop() resolves, and nothing is handed over after it, while the sender %s on every record',
  async (_how, fails) => {
    let deliveries = 0;
    const reader = new StreamReader({
      endpoint,
      tableName: 'gridflow',
      deliver: async () => {
        deliveries += 1;
        return fails();
      },
      log: () => {},
    });
    reader.start();
    while (deliveries === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await reader.stop();
    const atStop = deliveries;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(deliveries).toBe(atStop);
  },
  20_000,
);
