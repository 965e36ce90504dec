// What must be undone if the process is interrupted: a browser to close, a
// staging folder to remove. The bin runs these on Ctrl-C before it exits.

type Task = () => Promise<void>
const tasks = new Set<Task>()

/** Registers a task; call the returned function once the task has run by itself. */
export function onInterrupt(task: Task): () => void {
  tasks.add(task)
  return () => tasks.delete(task)
}

export async function runInterruptTasks(): Promise<void> {
  const pending = [...tasks]
  tasks.clear()
  await Promise.allSettled(pending.map((task) => task()))
}
