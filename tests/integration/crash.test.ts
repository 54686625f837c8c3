/**
 * Nothing lost (issue 12, item 1): `npm start` killed with SIGKILL — Java and all — while 16 clients post keyed
 * reports; restarted on the same data folder: every report that got a 201 is there, a retry with its key gives
 * the same case, its handler is told, and once completed it is fed back (its lifecycle was not left waiting on a
 * task whose function never got the token). The bench's crash part runs ten longer rounds (bench/crash.ts).
 */
import { expect, test } from '@jest/globals';
import { crashRound } from '../../bench/crash';

test('every report acknowledged before a kill -9 of the whole platform is there after the restart and reaches its handler and its feedback', async () => {
  const round = await crashRound({ clients: 16, reports: 120, killAfter: 60 });
  expect(round.acknowledged).toBeGreaterThanOrEqual(60);
  expect(round.journal).toBeDefined();
  if (round.restartOutput) console.log(round.restartOutput);
  const { lost, retriesDiffering, handlerNotTold, notFedBack } = round;
  expect({ lost, retriesDiffering, handlerNotTold, notFedBack }).toEqual({
    lost: [],
    retriesDiffering: [],
    handlerNotTold: [],
    notFedBack: [],
  });
}, 240_000);
