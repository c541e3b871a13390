"""Just enough of ELF32 (little-endian ARM) to load a firmware image: PT_LOAD segments at their
physical (load) address, so .data's initial values land in flash where the startup code copies
them from, and the symbol table (name -> address) for tools that want to find a function."""

import struct


class ElfError(Exception):
    pass


class Segment:
    def __init__(self, paddr, vaddr, data, memsz):
        self.paddr, self.vaddr, self.data, self.memsz = paddr, vaddr, data, memsz


def load(path):
    """(segments, symbols) of the ELF at `path`; ElfError with the reason if it is not a
    little-endian 32-bit ARM executable."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 52 or blob[:4] != b"\x7fELF":
        raise ElfError(f"{path}: not an ELF file")
    if blob[4] != 1 or blob[5] != 1:
        raise ElfError(f"{path}: not a little-endian 32-bit ELF")
    (e_type, e_machine, _v, _entry, e_phoff, e_shoff, _fl, _eh, e_phentsize, e_phnum,
     e_shentsize, e_shnum, _shstrndx) = struct.unpack_from("<HHIIIIIHHHHHH", blob, 16)
    if e_machine != 40:
        raise ElfError(f"{path}: machine {e_machine}, not ARM (40)")

    def need(off, n, what):
        if off < 0 or off + n > len(blob):
            raise ElfError(f"{path}: {what} at byte {off} runs past the end of the file")

    segments = []
    for i in range(e_phnum):
        off = e_phoff + i * e_phentsize
        need(off, 32, "program header")
        p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, _f, _a = struct.unpack_from("<8I", blob, off)
        if p_type != 1 or p_filesz == 0:
            continue
        need(p_offset, p_filesz, "segment")
        segments.append(Segment(p_paddr, p_vaddr, blob[p_offset:p_offset + p_filesz], p_memsz))

    symbols = {}
    sections = []
    for i in range(e_shnum):
        off = e_shoff + i * e_shentsize
        need(off, 40, "section header")
        sections.append(struct.unpack_from("<10I", blob, off))
    for sh in sections:
        if sh[1] != 2:  # SHT_SYMTAB
            continue
        strtab = sections[sh[6]] if sh[6] < len(sections) else None
        if strtab is None:
            continue
        need(sh[4], sh[5], "symbol table")
        for off in range(sh[4], sh[4] + sh[5], 16):
            st_name, st_value, _sz, _info, _o, _shndx = struct.unpack_from("<IIIBBH", blob, off)
            start = strtab[4] + st_name
            end = blob.find(b"\0", start)
            if st_name and end > start:
                symbols[blob[start:end].decode("utf-8", "replace")] = st_value
    return segments, symbols
