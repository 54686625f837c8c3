/**
 * Nothing lost (issue 12, item 1): `npm start` killed with SIGKILL — Java and all — while 16 clients post keyed
 * reports; restarted on the same data folder: every report that got a 201 is there, a retry with its key gives
 * the same case, and its handler is told. The bench's crash part runs ten longer rounds (bench/crash.ts).
 */
import { expect, test } from '@jest/globals';
import { crashRound } from '../../bench/crash';

test('every report acknowledged before a kill -9 of the whole platform is there after the restart and reaches its handler', async () => {
  const round = await crashRound({ clients: 16, reports: 120, killAfter: 60 });
  expect(round.acknowledged).toBeGreaterThanOrEqual(60);
  expect(round.journal).toBeDefined();
  if (round.restartOutput) console.log(round.restartOutput);
  expect({ lost: round.lost, retriesDiffering: round.retriesDiffering, handlerNotTold: round.handlerNotTold }).toEqual({
    lost: [],
    retriesDiffering: [],
    handlerNotTold: [],
  });
}, 240_000);
