/** The console's shell. */
export function App() {
  return <main>Defect RCA console</main>;
}
