// The reference page (/docs/): registers every tag from source, for its live examples.
import '../components/index.ts'
