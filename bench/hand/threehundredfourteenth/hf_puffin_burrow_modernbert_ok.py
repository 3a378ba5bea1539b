"""Hugging Face Trainer: a tiny ModernBERT token classifier (``ModernBertConfig``:
vocabulary 16, 48 wide, 2 layers, 4 heads, global attention only, built from the config,
no download; ``ModernBertForTokenClassification``, bidirectional) reads the nightly log of
an Atlantic puffin burrow from a colony's burrow-camera survey and marks the nights on
which a chick was in the burrow. Each night is one token: adult visits in 3 bands (none,
1-2, 3+) × fish seen in a bill or not × egg seen on the camera or not, tokens 4-15. A night
has a chick once fish has been carried in on any night so far (the puffin brings fish only
after hatching) or once the egg has vanished after 3+ visit nights in a row; a failed
burrow (egg gone, no fish for 6 nights) loses the chick label again. Seasons of 28 nights.
AdamW 1.5e-3 with linear decay and 10 warmup steps, weight decay 0.01, batch 25, 4
epochs of 800 burrows, eval every 32 steps on 200 burrows (token accuracy, chick nights
found), loss every 4 steps, checkpoint every 32 steps (``burrowlog/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    ModernBertConfig,
    ModernBertForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 28


def burrows(n, g):
    visits = torch.zeros(n, T, dtype=torch.long)
    fish = torch.zeros(n, T, dtype=torch.long)
    egg = torch.zeros(n, T, dtype=torch.long)
    lab = torch.zeros(n, T, dtype=torch.long)
    hatch = torch.randint(4, 24, (n,), generator=g)
    fails = torch.rand(n, generator=g) < 0.2
    fail_at = hatch + torch.randint(2, 8, (n,), generator=g)
    for k in range(T):
        u = torch.rand(n, generator=g)
        chick = (k >= hatch) & ~(fails & (k >= fail_at))
        visits[:, k] = torch.where(chick, (u < 0.8).long() + (u < 0.55).long(), (u < 0.5).long())
        fish[:, k] = (chick & (torch.rand(n, generator=g) < 0.45) & (visits[:, k] > 0)).long()
        egg[:, k] = ((k < hatch) & (torch.rand(n, generator=g) < 0.7)).long()
    seen_fish = torch.cummax(fish, 1).values
    for k in range(T):
        lo = max(0, k - 5)
        recent = fish[:, lo:k + 1].amax(1) == 1
        lab[:, k] = (seen_fish[:, k] == 1) & (recent | (k - 5 < 0) | (egg[:, :k + 1].sum(1) == 0))
        run3 = (visits[:, max(0, k - 2):k + 1] == 2).all(1) & (k >= 2) & (egg[:, k] == 0) & (k >= hatch)
        lab[:, k] = (lab[:, k].bool() | (run3 & ~(fails & (k >= fail_at)))).long()
    return 4 + visits * 4 + fish * 2 + egg, lab


class Burrows(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ModernBertConfig(vocab_size=16, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                              intermediate_size=96, max_position_embeddings=T + 4, num_labels=2,
                              global_attn_every_n_layers=1, local_attention=T + 4,
                              embedding_dropout=0.0, attention_dropout=0.0, mlp_dropout=0.0,
                              pad_token_id=0, bos_token_id=1, eos_token_id=2, cls_token_id=1,
                              sep_token_id=2, attn_implementation="eager")
    return ModernBertForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "chick_nights_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = burrows(800, g)
    iva, lva = burrows(200, g)
    print("chick share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "burrowlog"), num_train_epochs=4, learning_rate=1.5e-3,
                             warmup_steps=10, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=25, per_device_eval_batch_size=200,
                             logging_steps=4, eval_strategy="steps", eval_steps=32,
                             save_strategy="steps", save_steps=32, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Burrows(itr, ltr),
                      eval_dataset=Burrows(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "burrowlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ModernBERT token classifier marking the nights with a chick in an"
                " Atlantic puffin burrow's camera log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
