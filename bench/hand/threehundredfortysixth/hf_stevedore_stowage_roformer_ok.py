"""Hugging Face Trainer: a tiny RoFormer masked-slot model (``RoFormerConfig``: vocabulary
16, 48 wide, 2 layers, 4 heads, built from the config, no download; ``RoFormerForMaskedLM``)
fills the unreadable entries of a stevedore's bay tally: the gross-weight class of each
container in one bay of a ship, 6 stacks of 5 tiers, written stack by stack from the bottom
tier up. The stowage rule the planners follow: heavy boxes go below light ones, so within a
stack the weights never rise going up (the stack's boxes sorted, with a 6 % chance that a
late box breaks the order by one class), and a bay's stacks are loaded from one booking so
their weight levels are alike. Each entry is one token: the box's gross weight binned into
11 classes of 3 t from 2 t to 35 t (tokens 5-15; 0 pad, 1 start, 2 mask, 3 end of stack, 4
an empty slot); 15 % of the weight entries are masked (a fixed draw per bay); the model
must read each masked box's class from the boxes above and below it and from the other
stacks. AdamW 2e-3 with cosine decay and 16 warmup steps, weight decay 0.01, batch 24, 5
epochs of 960 bays, eval every 40 steps on 240 bays (masked-slot accuracy and share within
one class), loss every 10 steps, checkpoint every 40 steps (``baytally/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import RoFormerConfig, RoFormerForMaskedLM, Trainer, TrainingArguments

STACKS, TIERS, CLASSES = 6, 5, 11
L_SEQ = 1 + STACKS * (TIERS + 1)


def bays(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    level = 8 + 18 * r(n, 1, 1)
    w = (level + 7 * torch.randn(n, STACKS, TIERS, generator=g)).clamp(2, 34.9)
    w = w.sort(-1, descending=True).values
    cls = ((w - 2) / 3).floor().long()
    late = r(n, STACKS, TIERS) < 0.06
    cls = torch.where(late, (cls + 1).clamp(max=CLASSES - 1), cls)
    empty = torch.arange(TIERS) >= (TIERS - (r(n, STACKS, 1) < 0.2).long() * torch.randint(
        1, 3, (n, STACKS, 1), generator=g))
    tok = torch.where(empty, torch.full_like(cls, 4), 5 + cls)
    tok = torch.cat([tok, torch.full((n, STACKS, 1), 3)], -1).reshape(n, -1)
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    masked = (ids >= 5) & (r(n, L_SEQ) < 0.15)
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    return torch.where(masked, torch.full_like(ids, 2), ids), labels


class Tally(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L_SEQ, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = RoFormerConfig(vocab_size=5 + CLASSES, embedding_size=48, hidden_size=48,
                            num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
                            max_position_embeddings=64, hidden_dropout_prob=0.0,
                            attention_probs_dropout_prob=0.0, pad_token_id=0)
    return RoFormerForMaskedLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "within_one_class": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _threehundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = bays(960, g)
    iva, lva = bays(240, g)
    print("masked share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "baytally"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=16, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Tally(itr, ltr),
                      eval_dataset=Tally(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "baytally").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny RoFormer masked-slot model filling unreadable container weights in a"
                " stevedore's bay tally, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
