/** A machine of one waiting task (notify, with the case id and the token), then a Pass: the engine's restart tests. */
export const ONE_WAITING_TASK = {
  StartAt: 'Await',
  States: {
    Await: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'notify', Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' } },
      TimeoutSeconds: 3600,
      ResultPath: '$.wake',
      Next: 'Answered',
    },
    Answered: { Type: 'Pass', End: true },
  },
};
