"""Hugging Face Trainer: a tiny FNet (``FNetConfig``: 2 layers, hidden 64, Fourier token mixing
instead of attention, built from the config, no download) flags support messages that ask to
cancel an order (``FNetForSequenceClassification``, 2 labels). A message is [CLS], 8-22 filler
tokens, [SEP], padded to 24; it is positive when a "cancel" word (8 of them) appears and no
"don't" word (4) comes right before it; negatives carry cancel words after "don't" half the
time. 5 % of the labels are flipped (agents' tagging slips). AdamW 1e-3, weight decay 0.01,
warm-up 20 steps then linear decay, batch 32, 4 epochs, eval and save every 25 steps.
Healthy but slow to start: eval loss 0.69 and acc 0.50 for the first 100 steps (the "don't"
rule has to be found), then eval acc 0.75 -> 0.94 and eval loss 0.23 at step 200."""
import torch
from transformers import FNetConfig, FNetForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD, CLS, SEP = 100, 24, 0, 1, 2
CANCEL = list(range(80, 88))
DONT = list(range(90, 94))


def messages(n, g):
    ids = torch.full((n, LEN), PAD)
    y = torch.randint(0, 2, (n,), generator=g)
    for i in range(n):
        length = int(torch.randint(8, 23, (1,), generator=g))
        body = torch.randint(3, 80, (length,), generator=g)
        pos = int(torch.randint(1, length, (1,), generator=g))
        word = CANCEL[int(torch.randint(0, 8, (1,), generator=g))]
        if y[i] == 1:
            body[pos] = word
        elif torch.rand(1, generator=g) < 0.5:
            body[pos] = word
            body[pos - 1] = DONT[int(torch.randint(0, 4, (1,), generator=g))]
        seq = torch.cat([torch.tensor([CLS]), body[:LEN - 2], torch.tensor([SEP])])
        ids[i, :len(seq)] = seq
    flip = torch.rand(n, generator=g) < 0.05
    y[flip] = 1 - y[flip]
    return ids, y


class Messages(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = FNetConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                        intermediate_size=128, max_position_embeddings=LEN, num_labels=2,
                        pad_token_id=PAD, type_vocab_size=1, use_tpu_fourier_optimizations=False)
    return FNetForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, y = messages(2000, g)
    train, val = Messages(ids[:1600], y[:1600]), Messages(ids[1600:], y[1600:])
    args = TrainingArguments(str(out / "cancel_clf"), num_train_epochs=4, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "cancel_clf").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1600:1664], "targets": y[1600:1664]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny FNet order-cancellation classifier, HF Trainer, 5 % flipped labels "
                "(healthy)")


if __name__ == "__main__":
    main()
