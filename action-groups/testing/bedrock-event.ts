import type { BedrockAgentFunctionEvent } from '@aws-lambda-powertools/event-handler/types';
import type { Context } from 'aws-lambda';

/** One parameter of a Bedrock action-group invocation: values always arrive as strings. */
export interface EventParameter {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array';
  value: string;
}

/** A Bedrock Agents action-group function invocation, as the Lambda receives it. */
export function bedrockEvent({
  actionGroup,
  functionName,
  parameters = [],
  inputText = 'Analyse the defect described by the inspector.',
  sessionAttributes = {},
}: {
  actionGroup: string;
  functionName: string;
  parameters?: EventParameter[];
  inputText?: string;
  sessionAttributes?: Record<string, string>;
}): BedrockAgentFunctionEvent {
  return {
    messageVersion: '1.0',
    agent: { name: 'root-cause-analyst', id: 'AGENT12345', alias: 'TSTALIASID', version: 'DRAFT' },
    actionGroup,
    function: functionName,
    parameters,
    inputText,
    sessionId: '123456789012345',
    sessionAttributes,
    promptSessionAttributes: {},
  };
}

/** A Lambda context for invoking handlers in tests. */
export function lambdaContext(functionName = 'action-group-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/22/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Parses the JSON body of a Bedrock function response. */
export function responseBody(response: {
  response: { functionResponse: { responseBody: { TEXT: { body: string } } } };
}): unknown {
  return JSON.parse(response.response.functionResponse.responseBody.TEXT.body);
}
