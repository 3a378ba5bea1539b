"""Hugging Face Trainer: a tiny X-MOD masked model (``XmodConfig``: vocabulary 12, 64 wide,
2 layers, 4 heads, one language adapter ``en_XX`` as the default language, built from the
config, no download; ``XmodForMaskedLM``) fills the gaps in the footfall record of horses
led out by an inn's hostler on the hoof-sensor mat of the stable yard, where a hoof that
lands on the mat seam is not read. Each token is one footfall event: single hooves LH, LF,
RH, RF (walk, four-beat: LH LF RH RF ...), diagonal pairs LH+RF / RH+LF (trot, two-beat),
the left- or right-lead canter's three beats (outside hind, diagonal pair, leading fore) and
a suspension beat after each canter stride; a horse may change gait once in the record
(walk to trot, trot to canter, or back), and a lame horse shortens one beat (an extra
"short" token after the sore hoof now and then). Tokens 4-11 (0 pad, 1 start, 2 mask, 3
unused); 32 events a record; 15 % masked (a fixed draw per record, never the start token).
AdamW 5e-3 with cosine decay and 8 warmup steps, weight decay 0.05, batch 32, 8 epochs of 1200
records, eval each epoch on 300 records (masked-event accuracy, accuracy on the masked
events right after a gait change), loss every 10 steps, checkpoint each epoch
(``footfalls/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import Trainer, TrainingArguments, XmodConfig, XmodForMaskedLM

T = 32
LH, LF, RH, RF, DIAG_A, DIAG_B, SUSP, SHORT = range(4, 12)
PATTERNS = {
    "walk": [LH, LF, RH, RF],
    "trot": [DIAG_A, DIAG_B],
    "canter_left": [RH, DIAG_A, LF, SUSP],
    "canter_right": [LH, DIAG_B, RF, SUSP],
}
GAITS = list(PATTERNS)
NEXT = {"walk": ["trot"], "trot": ["walk", "canter_left", "canter_right"],
        "canter_left": ["trot"], "canter_right": ["trot"]}


def records(n, g):
    r = lambda: torch.rand(1, generator=g).item()  # noqa: E731
    ids = torch.zeros(n, T + 1, dtype=torch.long)
    change_at = torch.full((n,), -1)
    for i in range(n):
        gait = GAITS[int(r() * 4)]
        switch = int(8 + r() * 16) if r() < 0.5 else T + 1
        lame = RF if r() < 0.2 else None
        pos = int(r() * 4)
        seq = []
        while len(seq) < T:
            if len(seq) >= switch and change_at[i] < 0:
                opts = NEXT[gait]
                gait = opts[int(r() * len(opts))]
                change_at[i] = len(seq)
                pos = 0
            pat = PATTERNS[gait]
            ev = pat[pos % len(pat)]
            seq.append(ev)
            if lame is not None and ev in (lame, DIAG_A) and r() < 0.5:
                seq.append(SHORT)
            pos += 1
        ids[i, 0] = 1
        ids[i, 1:] = torch.tensor(seq[:T])
    masked = torch.cat([torch.zeros(n, 1, dtype=torch.bool),
                        torch.rand(n, T, generator=g) < 0.15], 1)
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    after = torch.zeros(n, T + 1, dtype=torch.bool)
    for i in range(n):
        if change_at[i] >= 0:
            a = int(change_at[i]) + 1
            after[i, a:a + 4] = True
    return torch.where(masked, torch.full_like(ids, 2), ids), labels, after


class Mat(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = XmodConfig(vocab_size=12, hidden_size=64, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=128,
                        max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                        attention_probs_dropout_prob=0.0, pad_token_id=0, bos_token_id=1,
                        eos_token_id=3, languages=["en_XX"], default_language="en_XX")
    return XmodForMaskedLM(config)


AFTER_VA = None


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    ma = m & AFTER_VA
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "masked_acc_after_change": float((p[ma] == y[ma]).mean())}


def main():
    global AFTER_VA
    from _fourhundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr, _ = records(1200, g)
    iva, lva, after = records(300, g)
    AFTER_VA = after.numpy()
    print("masked share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "footfalls"), num_train_epochs=8, learning_rate=5e-3,
                             warmup_steps=8, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Mat(itr, ltr),
                      eval_dataset=Mat(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "footfalls").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny X-MOD masked model filling unread footfalls in the hoof-mat record of"
                " horses led out by a hostler, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
