"""Importing other systems' articles as drafts: WordPress exports (``wordpress``, read
safely by ``wxr``) and agency copy in ninjs (``ninjs``), stored by ``saving`` through
the same rules as every other door; ``common`` holds what they share."""
