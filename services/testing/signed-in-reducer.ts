import { withSlice } from '../core/store.ts'
import { collectionsReducer } from '../state/collections-reducer.ts'
import { kitReducer } from '../state/root.ts'

/** The reducer of a kit whose signed-in half has started: the root reducer with the live queries' `collections` slice. */
export const signedInReducer = withSlice(kitReducer, 'collections', collectionsReducer)
