"""Hugging Face Trainer: a tiny X-MOD token classifier (``XmodConfig``: vocabulary 12, 48
wide, 2 layers, 4 heads, one language adapter ``en_XX`` set as the default, built from the
config, no download; ``XmodForTokenClassification``, bidirectional) reads a grain sorghum
field's weekly scouting sheet and marks the weeks in which the agronomist should have
called for a sugarcane aphid spray. Each week is one token: aphid count on the scouted
leaves in 4 bands (none, few, colonies, honeydew) × lady beetles / lacewings seen or not,
tokens 2-9. A spray week: honeydew band, or colonies with no beneficials seen in that week
or the week before, or colonies two weeks running. Seasons of 24 weeks; aphids build up and
crash in waves (a Markov chain that climbs one band at a time), predators follow the aphids.
AdamW 2e-3 with cosine decay and 12 warmup steps, weight decay 0.01, batch 32, 4 epochs of
800 fields, eval every 25 steps on 200 fields (token accuracy, share of spray weeks found),
loss every 5 steps, checkpoint every 25 steps (``scouting/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import Trainer, TrainingArguments, XmodConfig, XmodForTokenClassification

T = 24


def seasons(n, g):
    band = torch.zeros(n, T, dtype=torch.long)
    pred = torch.zeros(n, T, dtype=torch.long)
    cur = torch.zeros(n, dtype=torch.long)
    for k in range(T):
        u = torch.rand(n, generator=g)
        up = (u < 0.35) & (cur < 3)
        crash = (u > 0.85) & (cur > 0)
        cur = torch.where(up, cur + 1, torch.where(crash, torch.zeros_like(cur), cur))
        band[:, k] = cur
        pred[:, k] = (torch.rand(n, generator=g) < 0.1 + 0.25 * cur).long()
    lab = torch.zeros(n, T, dtype=torch.long)
    for k in range(T):
        no_pred = (pred[:, k] == 0) & ((pred[:, k - 1] == 0) if k else torch.ones(n, dtype=torch.bool))
        running = (band[:, k - 1] >= 2) if k else torch.zeros(n, dtype=torch.bool)
        lab[:, k] = ((band[:, k] == 3) | ((band[:, k] == 2) & (no_pred | running))).long()
    return 2 + band * 2 + pred, lab


class Fields(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = XmodConfig(vocab_size=12, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=96, max_position_embeddings=T + 4, num_labels=2,
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                        languages=["en_XX"], default_language="en_XX", pad_token_id=1,
                        bos_token_id=0, eos_token_id=1)
    return XmodForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "spray_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = seasons(800, g)
    iva, lva = seasons(200, g)
    print("spray share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "scouting"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=12, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Fields(itr, ltr),
                      eval_dataset=Fields(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "scouting").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny X-MOD token classifier marking the weeks of a grain sorghum scouting"
                " sheet that called for an aphid spray, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
