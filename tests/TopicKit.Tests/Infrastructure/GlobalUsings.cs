// The shared test helpers (SharedData, TempFolder, EmbeddingOracles) are used by every test area.
global using TopicKit.Tests.Infrastructure;
