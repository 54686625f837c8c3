/** The stores' contract (store-contract.ts) on the in-memory stores. */
import { createMemoryStores } from '../../shared/adapters/memory/memory-stores';
import { storeContract } from './store-contract';

storeContract(async () => createMemoryStores());
