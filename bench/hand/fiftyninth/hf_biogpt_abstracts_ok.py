"""Hugging Face Trainer: a tiny BioGPT (``BioGptConfig``: hidden 64, 2 layers, 4 heads, built
from the config, no download, ``pad_token_id`` 1) sorts synthetic biomedical abstracts into
oncology / cardiology / neurology. An abstract is 12–40 tokens of shared filler with 2–4 of its
field's 8 terms and one term of another field; 7 % carry a wrong label (curation noise). Right
padding to 48 with an attention mask (the classifier reads the last real token), AdamW 1e-3,
weight decay 0.01, 10 warm-up steps then linear decay, batch 32, 4 epochs, eval every 25 steps.
Healthy: eval accuracy levels at 0.85-0.86 from step 75 (label noise and the off-field
term in every abstract), eval loss 0.45-0.49, train loss noisy (0.32-0.48 late)."""
import torch
from transformers import BioGptConfig, BioGptForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD, BOS, FIELDS = 160, 48, 1, 0, 3


def abstracts(n, g):
    terms = (torch.randperm(VOCAB - 40, generator=g)[:FIELDS * 8] + 40).view(FIELDS, 8)
    y = torch.randint(0, FIELDS, (n,), generator=g)
    lengths = torch.randint(12, 41, (n,), generator=g)
    ids = torch.randint(2, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(2, 5, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k + 1] + 1
        ids[i, pos[:k]] = terms[y[i], torch.randint(0, 8, (k,), generator=g)]
        other = (int(y[i]) + int(torch.randint(1, FIELDS, (1,), generator=g))) % FIELDS
        ids[i, pos[k]] = terms[other, int(torch.randint(0, 8, (1,), generator=g))]
    ids[:, 0] = BOS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    ids = torch.where(mask.bool(), ids, torch.full_like(ids, PAD))
    flip = torch.rand(n, generator=g) < 0.07
    y = torch.where(flip, (y + torch.randint(1, FIELDS, (n,), generator=g)) % FIELDS, y)
    return ids, mask, y


class Abstracts(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = BioGptConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                          num_attention_heads=4, intermediate_size=128,
                          max_position_embeddings=64, pad_token_id=PAD, bos_token_id=BOS,
                          num_labels=FIELDS, hidden_dropout_prob=0.1,
                          attention_probs_dropout_prob=0.1)
    return BioGptForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = abstracts(1400, g)
    train = Abstracts(ids[:1100], mask[:1100], y[:1100])
    val = Abstracts(ids[1100:], mask[1100:], y[1100:])
    args = TrainingArguments(str(out / "abstracts"), num_train_epochs=4, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "abstracts").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1100:1164], "attention_mask": mask[1100:1164],
                           "targets": y[1100:1164]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BioGPT abstract classifier, HF Trainer, 7 % label noise (healthy)")


if __name__ == "__main__":
    main()
