export type NodeLlamaCpp = typeof import('node-llama-cpp')

let loading: Promise<NodeLlamaCpp> | undefined

/**
 * node-llama-cpp, imported on first use. Importing it costs ~0.6 s and core's index is imported by
 * every CLI command, most of which never touch a model; so core modules import only its types
 * statically and the code through here.
 */
export function nodeLlamaCpp(): Promise<NodeLlamaCpp> {
  loading ??= import('node-llama-cpp')
  return loading
}
