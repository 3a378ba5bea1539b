"""Hugging Face Trainer: route IT-support tickets to one of 4 teams (network, hardware,
accounts, software) with a tiny ALBERT (``AlbertConfig``: embedding 32, hidden 64, 2 layers
sharing their weights, no download), tickets of 8-32 word ids with a few team keywords among
ordinary words. AdamW 1e-3, linear decay, batch 32, 6 epochs, eval every 50 steps with
accuracy. Bug: the ``encode`` helper sorts the tickets by length to keep the padding small and
returns only the token ids; the labels stay in the original order, so after sorting ticket i
carries the label of some other ticket (train and eval alike): the train loss stays near
ln 4 = 1.386 (1.33 at the end), eval loss 1.44, eval accuracy 0.26 (without the sort: eval
accuracy 1.0)."""
import torch
from transformers import AlbertConfig, AlbertForSequenceClassification, Trainer, TrainingArguments

VOCAB, MAXLEN, PAD, CLS = 300, 33, 0, 1
TEAMS = ["network", "hardware", "accounts", "software"]


def tickets(n, g):
    """Ticket texts (lists of word ids) and their team labels."""
    labels = torch.randint(0, 4, (n,), generator=g)
    texts = []
    for i in range(n):
        length = int(torch.randint(8, MAXLEN, (1,), generator=g))
        words = torch.randint(60, VOCAB, (length,), generator=g)
        k = int(torch.randint(1, 4, (1,), generator=g))
        where = torch.randperm(length, generator=g)[:k]
        words[where] = 10 + 10 * labels[i] + torch.randint(0, 10, (k,), generator=g)
        texts.append(words.tolist())
    return texts, labels


def encode(texts):
    """Token ids and attention masks, [CLS] first; sorted by length so batches pad little."""
    texts = sorted(texts, key=len)  # BUG: the labels are not reordered with the texts
    ids = torch.full((len(texts), MAXLEN), PAD)
    mask = torch.zeros(len(texts), MAXLEN, dtype=torch.long)
    for i, t in enumerate(texts):
        ids[i, :len(t) + 1] = torch.tensor([CLS, *t])
        mask[i, :len(t) + 1] = 1
    return ids, mask


class TicketDataset(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = AlbertConfig(vocab_size=VOCAB, embedding_size=32, hidden_size=64,
                          num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                          max_position_embeddings=MAXLEN, num_labels=4, pad_token_id=PAD,
                          hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
    return AlbertForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (texts, labels), (vtexts, vlabels) = tickets(1600, g), tickets(300, g)
    train = TicketDataset(*encode(texts), labels)
    val = TicketDataset(*encode(vtexts), vlabels)
    args = TrainingArguments(str(out / "albert-tickets"), num_train_epochs=6, learning_rate=1e-3,
                             per_device_train_batch_size=32, per_device_eval_batch_size=100,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "albert-tickets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.ids[:64], val.labels[:64]), causes=["labels_wrong"],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="ALBERT ticket router, texts sorted by length but labels left in order",
           complaint="the training loss stays around 1.35 and eval accuracy is 26% (4 teams), "
                     "the model does not learn at all")


if __name__ == "__main__":
    main()
