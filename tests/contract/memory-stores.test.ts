/** The stores' contract (store-contract.ts) on the in-memory stores. */
import { createMemoryStores } from '../../shared/adapters/memory/memory-stores';
import { MemoryReferenceStore } from '../../shared/adapters/memory/memory-reference';
import { referenceContract } from './reference-contract';
import { storeContract } from './store-contract';

storeContract(async () => createMemoryStores());
referenceContract(async () => new MemoryReferenceStore());
