/**
 * The parts of the OpenAI chat completions wire protocol (`POST /chat/completions`) that the Model
 * port uses, as vLLM, Ollama, llama.cpp server and hosted providers speak it.
 */

/** A part of a user message's content. */
export type ChatContentPart =
  { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

/** A function call the assistant asked for; `arguments` is a JSON document in a string. */
export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One message of a chat completions request. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** A function offered to the model, with its parameters as a JSON Schema. */
export interface ChatTool {
  type: 'function';
  function: { name: string; description: string; parameters: unknown };
}

/** How the model may use the tools. */
export type ChatToolChoice = 'auto' | 'required' | 'none' | { type: 'function'; function: { name: string } };

/** The body of `POST /chat/completions`. */
export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ChatTool[];
  tool_choice?: ChatToolChoice;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  /** String key/values about the call; carries the port's `requestMetadata`. */
  metadata?: Record<string, string>;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
}

/** Token counts of a completion. */
export interface ChatUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/** Why generation stopped (`function_call` is the legacy name of `tool_calls`). */
export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

/** A non-streamed answer: `object: "chat.completion"`. */
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] };
    finish_reason: ChatFinishReason | null;
  }>;
  usage?: ChatUsage;
}

/** A piece of a tool call in a streamed delta: the first piece has the id and name. */
export interface ChatToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

/** One server-sent event of a streamed answer: `object: "chat.completion.chunk"`. */
export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: 'assistant'; content?: string | null; tool_calls?: ChatToolCallDelta[] };
    finish_reason: ChatFinishReason | null;
  }>;
  /** Present on the last chunk when `stream_options.include_usage` was asked for. */
  usage?: ChatUsage | null;
}

/** The error body OpenAI-compatible servers answer with. */
export interface ChatErrorBody {
  error: { message: string; type?: string; code?: string | number | null; param?: string | null };
}
