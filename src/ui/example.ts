/** The built-in example: an e-commerce keyspace where the Redis and Standard policies disagree in places. */
export const EXAMPLE_KEYS = `user:1000:profile
user:1000:cart
{user:1000}:profile
{user:1000}:cart
session:9f8e7d6c5b4a
cart:{user:1000}:items
bull:{emails}:wait
bull:{emails}:active
bull:{emails}:42
order:{2024}{eu}:7781
inventory:sku:{}:A-113
product:{sku:{A-113}}
"metrics:\\xff\\x00raw"
rate-limit:{ip:10.0.0.7}:minute`;

export const EXAMPLE_RULES = `(?<tag>user:\\d+):.*
bull:\\{(?<tag>[^}]+)\\}:.*
.*\\{(?<tag>.*)\\}.*
(?<tag>.*)`;
