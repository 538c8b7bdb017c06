# When someone sends very many messages in a short time (more than 20 in a minute).
# Once a minute; after that no reply until things calm down.

flood-slow-down = You are sending many messages very quickly. Please wait a minute. Then I am happy to help again.
