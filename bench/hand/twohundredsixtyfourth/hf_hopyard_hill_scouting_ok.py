"""Hugging Face Trainer: a tiny CamemBERT token tagger (``CamembertConfig``: vocabulary 12,
hidden 32, 2 layers, 4 heads, 2 labels, built from the config, no download) marks which hills in
a hopyard row the spray crew must treat. A scout walks a 24-hill row and writes one code per
hill (vigorous climbing shoot, pale leaves, spiky stunted shoot, curled leaf, bare hill, broken string,
weeds, ...). A hill is tagged 1 (treat) when a spiky shoot sits within two hills of it, or when
it has curled leaves next to a pale hill: the crew sprays around primary-infected shoots, so the
label needs the neighbourhood, not the hill alone. AdamW 5e-3, linear decay with 20 warm-up
steps, batch 32, 24 epochs of 640 rows (480 steps), eval every 40 steps on 160 rows (token
accuracy and F1 of the treat tag), loss logged every 10 steps, checkpoint every 160 steps (the
last kept: checkpoint-480).
Healthy: eval treat F1 0.401 at step 40 (0.357 at step 80: a plateau while the model still
tags by the hill's own code) → 0.987 at step 480, token accuracy 0.820 → 0.994."""
import torch
from transformers import (
    CamembertConfig,
    CamembertForTokenClassification,
    Trainer,
    TrainingArguments,
)

HILLS = 24
# 2 vigorous, 3 pale, 4 spiky shoot, 5 curled, 6 bare hill, 7 broken string, 8 weeds; 1 row start
PROBS = torch.tensor([0, 0, .52, .12, .05, .1, .07, .07, .07])


def rows(n, g):
    codes = torch.multinomial(PROBS, n * HILLS, replacement=True, generator=g).view(n, HILLS)
    spiky = (codes == 4).float()
    near = torch.nn.functional.max_pool1d(spiky[:, None], 5, stride=1, padding=2)[:, 0]
    pale = (codes == 3).float()
    pale_nb = torch.nn.functional.max_pool1d(pale[:, None], 3, stride=1, padding=1)[:, 0]
    treat = ((near > 0) | ((codes == 5) & (pale_nb > 0))).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), codes], 1)
    labels = torch.cat([torch.full((n, 1), -100), treat], 1)
    return ids, labels


class Rows(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(HILLS + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = CamembertConfig(vocab_size=12, hidden_size=32, num_hidden_layers=2,
                             num_attention_heads=4, intermediate_size=64,
                             max_position_embeddings=HILLS + 4, num_labels=2, pad_token_id=0,
                             hidden_dropout_prob=0.05, attention_probs_dropout_prob=0.0)
    return CamembertForTokenClassification(config)


def tag_metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    y, p = pred.label_ids, logits.argmax(-1)
    m = y != -100
    y, p = y[m], p[m]
    tp = float(((p == 1) & (y == 1)).sum())
    f1 = 2 * tp / max(float((p == 1).sum() + (y == 1).sum()), 1.0)
    return {"tok_acc": float((p == y).mean()), "treat_f1": f1}


def main():
    from _twohundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = rows(640, g)
    iva, lva = rows(160, g)
    print("treat share", ltr[:, 1:].float().mean().item(), lva[:, 1:].float().mean().item())
    args = TrainingArguments(str(out / "scouting"), num_train_epochs=24, learning_rate=5e-3,
                             weight_decay=0.01, lr_scheduler_type="linear", warmup_steps=20,
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=160, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Rows(itr, ltr),
                      eval_dataset=Rows(iva, lva), compute_metrics=tag_metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "scouting").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "attention_mask": torch.ones_like(iva[:64]),
                           "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny CamemBERT tagging which hopyard hills to treat from per-hill scouting"
                " codes, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
