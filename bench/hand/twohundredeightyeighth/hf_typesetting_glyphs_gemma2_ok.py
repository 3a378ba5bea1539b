"""Hugging Face Trainer: a tiny Gemma2 token classifier (``Gemma2Config``: vocabulary 40,
hidden 48, 2 layers, 4 heads of 12 with 2 key/value heads, MLP 96, built from the config, no
download; ``Gemma2ForTokenClassification``, causal attention) reads a line of copy glyph by glyph
as a typesetting system hands it to the composing step and tags each glyph with what the
compositor must do before setting it: 0 = set as it comes, 1 = join it with the glyph before
into a ligature (an f followed by f, i or l), 2 = kern it against the glyph before (A, V, T,
L, W, Y followed by a, e, o, y, v, w, A or V). Copy: 32 glyphs, lower-case letters by
English-like frequency with many f's (a copy of
food and office words) and a capital in every sixth place or so, spaces between words.
The rule looks only at the glyph and the one before it, so the causal attention sees all it
needs. AdamW 3e-3, cosine decay with 20 warmup steps, batch 32, 8 epochs of 1200 lines, eval
every 50 steps on 300 lines (accuracy over glyphs, recall of the ligature and kern tags), loss
every 10 steps, checkpoint every 50 steps (``composing/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import Gemma2Config, Gemma2ForTokenClassification, Trainer, TrainingArguments

N = 32
LOWER = "etaoinshrdlcumwfgypbvkjxqz"
CAPS = "AVTLWYBHMR"
FREQ = torch.tensor([12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4,
                     2.4, 30.0, 2.0, 2.0, 1.9, 1.5, 1.0, 0.8, 0.2, 0.2, 0.1, 0.1])
SPACE = 1
LOW0, CAP0 = 2, 2 + len(LOWER)
LIG_NEXT = {LOW0 + LOWER.index(c) for c in "fil"}
KERN_PREV = {CAP0 + CAPS.index(c) for c in "AVTLWY"}
KERN_NEXT = {LOW0 + LOWER.index(c) for c in "aeoyvw"} | {CAP0 + CAPS.index(c) for c in "AV"}
F_ID = LOW0 + LOWER.index("f")


def lines(n, g):
    ids = LOW0 + torch.multinomial(FREQ, n * N, replacement=True, generator=g).view(n, N)
    u = torch.rand(n, N, generator=g)
    caps = CAP0 + torch.randint(0, len(CAPS), (n, N), generator=g)
    ids = torch.where(u < 0.16, caps, ids)
    ids = torch.where(u > 0.84, torch.full_like(ids, SPACE), ids)
    tags = torch.zeros(n, N, dtype=torch.long)
    for i in range(n):
        row = ids[i].tolist()
        for t in range(1, N):
            if row[t - 1] == F_ID and row[t] in LIG_NEXT:
                tags[i, t] = 1
            elif row[t - 1] in KERN_PREV and row[t] in KERN_NEXT:
                tags[i, t] = 2
    return ids, tags


class Copy(torch.utils.data.Dataset):
    def __init__(self, ids, tags):
        self.ids, self.tags = ids, tags

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N, dtype=torch.long),
                "labels": self.tags[i]}


def build():
    torch.manual_seed(0)
    config = Gemma2Config(vocab_size=40, hidden_size=48, intermediate_size=96,
                          num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                          head_dim=12, query_pre_attn_scalar=12, max_position_embeddings=64,
                          sliding_window=32, pad_token_id=0, bos_token_id=0, eos_token_id=0,
                          num_labels=3, attn_implementation="eager")
    return Gemma2ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    out = {"accuracy": float((p == y).mean())}
    for k, name in [(1, "ligature"), (2, "kern")]:
        out[f"recall_{name}"] = float((p[y == k] == k).mean())
    return out


def main():
    from _twohundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ttr = lines(1200, g)
    iva, tva = lines(300, g)
    print("tag shares", [round(float((ttr == k).float().mean()), 4) for k in range(3)])
    args = TrainingArguments(str(out / "composing"), num_train_epochs=8, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Copy(itr, ttr),
                      eval_dataset=Copy(iva, tva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "composing").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": tva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Gemma2 token classifier tagging ligatures and kern pairs in a line of"
                " copy for typesetting, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
